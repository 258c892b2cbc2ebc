namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Every bucket logs its access to a log bucket. Mirrors CKV_AWS_18, AVD-AWS-0089, AwsSolutions-S1.</summary>
public sealed class S3AccessLoggingRule() : ResourceRule(
    "MLOPSTF-S3-004",
    "S3 buckets log server access to a dedicated log bucket",
    "CKV_AWS_18, AVD-AWS-0089, AwsSolutions-S1",
    "aws_s3_bucket")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource bucket)
    {
        if (!stack.Referencing("aws_s3_bucket_logging", "bucket", bucket).Any())
            yield return new("server access logging is off", "pass AccessLogBucket to SecureBucket");
    }
}
