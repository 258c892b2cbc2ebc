namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>S3 buckets enforce bucket-owner ownership (ACLs off). Mirrors AwsSolutions-S2 (ACLs), checkov object ownership guidance.</summary>
public sealed class S3OwnershipRule() : ResourceRule(
    "MLOPSTF-S3-007",
    "S3 buckets enforce bucket-owner ownership (ACLs off)",
    "AwsSolutions-S2 (ACLs), checkov object ownership guidance",
    "aws_s3_bucket")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource bucket)
    {
        if (!stack.Referencing("aws_s3_bucket_ownership_controls", "bucket", bucket).Any(o => o.Body["rule"]?["object_ownership"]?.GetValue<string>() == "BucketOwnerEnforced"))
            yield return new("object ownership is not BucketOwnerEnforced", "add aws_s3_bucket_ownership_controls with BucketOwnerEnforced");
    }
}
