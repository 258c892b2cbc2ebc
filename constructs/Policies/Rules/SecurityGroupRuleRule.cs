namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Security group rules are described and never allow all ports to the internet. Mirrors CKV_AWS_23, CKV_AWS_382.</summary>
public sealed class SecurityGroupRuleRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-SG-002";

    /// <inheritdoc />
    public override string Title => "Security group rules are described and never allow all ports to the internet";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_23, CKV_AWS_382";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var rule in stack.Resources("aws_vpc_security_group_egress_rule").Concat(stack.Resources("aws_vpc_security_group_ingress_rule")))
        {
            if (string.IsNullOrWhiteSpace(rule.String("description")))
                yield return Finding(stack, rule, "the rule has no description", "say what the rule is for");
            if (rule.String("ip_protocol") == "-1" && rule.String("cidr_ipv4") == "0.0.0.0/0")
                yield return Finding(stack, rule, "the rule opens every port to 0.0.0.0/0", "allow the port and destination the workload needs");
        }
    }
}
