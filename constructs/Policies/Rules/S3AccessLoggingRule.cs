namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Every bucket logs its access to a log bucket. Mirrors CKV_AWS_18, AVD-AWS-0089, AwsSolutions-S1.</summary>
public sealed class S3AccessLoggingRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-S3-004";

    /// <inheritdoc />
    public override string Title => "S3 buckets log server access to a dedicated log bucket";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_18, AVD-AWS-0089, AwsSolutions-S1";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        from bucket in stack.Resources("aws_s3_bucket")
        where !stack.Referencing("aws_s3_bucket_logging", "bucket", bucket).Any()
        select Finding(stack, bucket, "server access logging is off", "pass AccessLogBucket to SecureBucket");
}
