namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>CloudWatch log groups are KMS-encrypted and set retention. Mirrors CKV_AWS_158, CKV_AWS_66, AVD-AWS-0017.</summary>
public sealed class LogGroupRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-LOG-001";

    /// <inheritdoc />
    public override string Title => "Log groups are KMS-encrypted with retention";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_158, CKV_AWS_66, AVD-AWS-0017";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var group in stack.Resources("aws_cloudwatch_log_group"))
        {
            if (string.IsNullOrEmpty(group.String("kms_key_id")))
                yield return Finding(stack, group, "the log group is not encrypted with a customer key", "use EncryptedLogGroup");
            if (group.Body["retention_in_days"] is null)
                yield return Finding(stack, group, "the log group keeps logs forever", "set retention_in_days");
        }
    }
}
