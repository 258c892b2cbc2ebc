namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Every bucket has a lifecycle configuration that aborts incomplete multipart uploads. Mirrors CKV2_AWS_61, CKV_AWS_300.</summary>
public sealed class S3LifecycleRule() : ResourceRule(
    "MLOPSTF-S3-005",
    "S3 buckets abort incomplete multipart uploads",
    "CKV2_AWS_61, CKV_AWS_300",
    "aws_s3_bucket")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource bucket)
    {
        if (!stack.Referencing("aws_s3_bucket_lifecycle_configuration", "bucket", bucket)
            .SelectMany(l => l.Body["rule"]?.AsArray() ?? [])
            .Any(r => r?["status"]?.GetValue<string>() == "Enabled" && r["abort_incomplete_multipart_upload"] is not null))
            yield return new("no enabled lifecycle rule aborts incomplete multipart uploads", "add one (SecureBucket does, after 7 days)");
    }
}
