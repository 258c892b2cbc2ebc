namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Every bucket has a public access block with all four flags on. Mirrors CKV2_AWS_6, CKV_AWS_53/54/55/56, AVD-AWS-0086/0087/0091/0093/0094, AwsSolutions-S2.</summary>
public sealed class S3PublicAccessBlockRule() : ResourceRule(
    "MLOPSTF-S3-001",
    "S3 buckets block all public access",
    "CKV2_AWS_6, CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, CKV_AWS_56, AVD-AWS-0086, AVD-AWS-0087, AVD-AWS-0091, AVD-AWS-0093, AVD-AWS-0094, AwsSolutions-S2",
    "aws_s3_bucket")
{
    private static readonly string[] Flags = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];


    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource bucket)
    {
        var blocks = stack.Referencing("aws_s3_bucket_public_access_block", "bucket", bucket).ToList();
        if (blocks.Count == 0)
            yield return new("the bucket has no public access block", "create it with SecureBucket, or add aws_s3_bucket_public_access_block");
        else if (Flags.FirstOrDefault(f => !blocks[0].True(f)) is { } off)
            yield return new($"its public access block leaves {off} off", "set all four flags to true");
    }
}
