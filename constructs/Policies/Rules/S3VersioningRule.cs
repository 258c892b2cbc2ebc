namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Every bucket is versioned. Mirrors CKV_AWS_21, AVD-AWS-0090.</summary>
public sealed class S3VersioningRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-S3-002";

    /// <inheritdoc />
    public override string Title => "S3 buckets are versioned";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_21, AVD-AWS-0090";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        from bucket in stack.Resources("aws_s3_bucket")
        where !stack.Referencing("aws_s3_bucket_versioning", "bucket", bucket)
            .Any(v => v.Body["versioning_configuration"]?["status"]?.GetValue<string>() == "Enabled")
        select Finding(stack, bucket, "versioning is not enabled", "add aws_s3_bucket_versioning with status Enabled (SecureBucket does)");
}
