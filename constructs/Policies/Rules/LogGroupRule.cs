namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>CloudWatch log groups are KMS-encrypted and set retention. Mirrors CKV_AWS_158, CKV_AWS_66, AVD-AWS-0017.</summary>
public sealed class LogGroupRule() : ResourceRule(
    "MLOPSTF-LOG-001",
    "Log groups are KMS-encrypted with retention",
    "CKV_AWS_158, CKV_AWS_66, AVD-AWS-0017",
    "aws_cloudwatch_log_group")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource group)
    {
        if (string.IsNullOrEmpty(group.String("kms_key_id")))
            yield return new("the log group is not encrypted with a customer key", "use EncryptedLogGroup");
        if (group.Body["retention_in_days"] is null)
            yield return new("the log group keeps logs forever", "set retention_in_days");
    }
}
