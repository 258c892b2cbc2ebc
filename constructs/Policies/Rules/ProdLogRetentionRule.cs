namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Production keeps logs for at least a year. Mirrors CKV_AWS_338.</summary>
public sealed class ProdLogRetentionRule() : ResourceRule(
    "MLOPSTF-LOG-002",
    "Production keeps logs for at least a year",
    "CKV_AWS_338",
    "aws_cloudwatch_log_group")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) => stack.Name == "prod" ? base.Evaluate(stack) : [];

    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource group)
    {
        if ((Number(group.Body["retention_in_days"]) ?? 0) < 365)
            yield return new("prod keeps these logs for less than 365 days", "set LogRetentionDays to 365 or more in prod");
    }
}
