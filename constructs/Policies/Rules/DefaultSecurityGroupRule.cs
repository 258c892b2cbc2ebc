namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Default security groups have no rules. Mirrors CKV2_AWS_12, AVD-AWS-0173.</summary>
public sealed class DefaultSecurityGroupRule() : PolicyRule(
    "MLOPSTF-SG-001",
    "Default security groups have no rules",
    "CKV2_AWS_12, AVD-AWS-0173")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var sg in stack.Resources("aws_default_security_group"))
        {
            if (sg.Body["ingress"]?.AsArray().Count is not 0 || sg.Body["egress"]?.AsArray().Count is not 0)
                yield return Finding(stack, sg, "the default security group keeps rules", "set ingress = [] and egress = []");
        }
        foreach (var vpc in stack.Resources("aws_vpc"))
        {
            if (!stack.Referencing("aws_default_security_group", "vpc_id", vpc).Any())
                yield return Finding(stack, vpc, "the default security group is not managed (and keeps its allow-all rules)", "add aws_default_security_group with no rules");
        }
    }
}
