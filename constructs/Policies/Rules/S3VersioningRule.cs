namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Every bucket is versioned. Mirrors CKV_AWS_21, AVD-AWS-0090.</summary>
public sealed class S3VersioningRule() : ResourceRule(
    "MLOPSTF-S3-002",
    "S3 buckets are versioned",
    "CKV_AWS_21, AVD-AWS-0090",
    "aws_s3_bucket")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource bucket)
    {
        if (!stack.Referencing("aws_s3_bucket_versioning", "bucket", bucket)
            .Any(v => v.Body["versioning_configuration"]?["status"]?.GetValue<string>() == "Enabled"))
            yield return new("versioning is not enabled", "add aws_s3_bucket_versioning with status Enabled (SecureBucket does)");
    }
}
