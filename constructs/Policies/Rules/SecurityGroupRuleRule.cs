namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Security group rules are described and never allow all ports to the internet. Mirrors CKV_AWS_23, CKV_AWS_382.</summary>
public sealed class SecurityGroupRuleRule() : ResourceRule(
    "MLOPSTF-SG-002",
    "Security group rules are described and never allow all ports to the internet",
    "CKV_AWS_23, CKV_AWS_382",
    "aws_vpc_security_group_egress_rule", "aws_vpc_security_group_ingress_rule")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource rule)
    {
        if (string.IsNullOrWhiteSpace(rule.String("description")))
            yield return new("the rule has no description", "say what the rule is for");
        if (rule.String("ip_protocol") == "-1" && rule.String("cidr_ipv4") == "0.0.0.0/0")
            yield return new("the rule opens every port to 0.0.0.0/0", "allow the port and destination the workload needs");
    }
}
