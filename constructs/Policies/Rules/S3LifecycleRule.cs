namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Every bucket has a lifecycle configuration that aborts incomplete multipart uploads. Mirrors CKV2_AWS_61, CKV_AWS_300.</summary>
public sealed class S3LifecycleRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-S3-005";

    /// <inheritdoc />
    public override string Title => "S3 buckets abort incomplete multipart uploads";

    /// <inheritdoc />
    public override string Mirrors => "CKV2_AWS_61, CKV_AWS_300";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        from bucket in stack.Resources("aws_s3_bucket")
        where !stack.Referencing("aws_s3_bucket_lifecycle_configuration", "bucket", bucket)
            .SelectMany(l => l.Body["rule"]?.AsArray() ?? [])
            .Any(r => r?["status"]?.GetValue<string>() == "Enabled" && r["abort_incomplete_multipart_upload"] is not null)
        select Finding(stack, bucket, "no enabled lifecycle rule aborts incomplete multipart uploads", "add one (SecureBucket does, after 7 days)");
}
