namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Production keeps logs for at least a year. Mirrors CKV_AWS_338.</summary>
public sealed class ProdLogRetentionRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-LOG-002";

    /// <inheritdoc />
    public override string Title => "Production keeps logs for at least a year";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_338";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        if (stack.Name != "prod") yield break;
        foreach (var group in stack.Resources("aws_cloudwatch_log_group"))
        {
            if ((Number(group.Body["retention_in_days"]) ?? 0) < 365)
                yield return Finding(stack, group, "prod keeps these logs for less than 365 days", "set LogRetentionDays to 365 or more in prod");
        }
    }
}
