namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Glue jobs and crawlers use a security configuration that encrypts S3, CloudWatch and bookmarks. Mirrors CKV_AWS_195, CKV_AWS_99, AwsSolutions-GL1, AwsSolutions-GL3.</summary>
public sealed class GlueSecurityConfigurationRule() : PolicyRule(
    "MLOPSTF-GLUE-001",
    "Glue jobs and crawlers use a security configuration that encrypts S3, CloudWatch and bookmarks",
    "CKV_AWS_195, CKV_AWS_99, AwsSolutions-GL1, AwsSolutions-GL3")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var r in stack.Resources("aws_glue_job").Concat(stack.Resources("aws_glue_crawler")))
        {
            if (string.IsNullOrEmpty(r.String("security_configuration")))
                yield return Finding(stack, r, "no security configuration is used", "set security_configuration");
        }
        foreach (var config in stack.Resources("aws_glue_security_configuration"))
        {
            var e = config.Body["encryption_configuration"];
            if (e?["s3_encryption"]?["s3_encryption_mode"]?.GetValue<string>() is null or "DISABLED"
                || e["cloudwatch_encryption"]?["cloudwatch_encryption_mode"]?.GetValue<string>() is null or "DISABLED"
                || e["job_bookmarks_encryption"]?["job_bookmarks_encryption_mode"]?.GetValue<string>() is null or "DISABLED")
                yield return Finding(stack, config, "the security configuration leaves S3, CloudWatch or bookmark encryption off", "turn all three on with KMS");
        }
    }
}
