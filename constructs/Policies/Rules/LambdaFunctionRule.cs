namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Lambda functions run in the VPC with a DLQ, reserved concurrency, active tracing and KMS-encrypted environment. Mirrors CKV_AWS_117, CKV_AWS_116, CKV_AWS_115, CKV_AWS_50, CKV_AWS_173.</summary>
public sealed class LambdaFunctionRule() : ResourceRule(
    "MLOPSTF-LAMBDA-001",
    "Lambda functions: VPC, dead-letter queue, reserved concurrency, X-Ray, KMS",
    "CKV_AWS_117, CKV_AWS_116, CKV_AWS_115, CKV_AWS_50, CKV_AWS_173",
    "aws_lambda_function")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource fn)
    {
        if (fn.Body["vpc_config"]?["subnet_ids"] is null)
            yield return new("the function does not run in the VPC", "set vpc_config (PythonFunction does)");
        if (fn.Body["dead_letter_config"]?["target_arn"] is null)
            yield return new("the function has no dead-letter queue", "set dead_letter_config");
        if (fn.Body["reserved_concurrent_executions"] is null)
            yield return new("the function reserves no concurrency", "set reserved_concurrent_executions");
        if (fn.Body["tracing_config"]?["mode"]?.GetValue<string>() != "Active")
            yield return new("X-Ray tracing is not active", "set tracing_config.mode = Active");
        if (fn.Body["environment"] is not null && string.IsNullOrEmpty(fn.String("kms_key_arn")))
            yield return new("environment variables are not encrypted with a customer key", "set kms_key_arn");
    }
}
