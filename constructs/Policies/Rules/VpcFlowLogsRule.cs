namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Every VPC has flow logs. Mirrors CKV2_AWS_11, AVD-AWS-0178, AwsSolutions-VPC7.</summary>
public sealed class VpcFlowLogsRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-VPC-001";

    /// <inheritdoc />
    public override string Title => "Every VPC has flow logs";

    /// <inheritdoc />
    public override string Mirrors => "CKV2_AWS_11, AVD-AWS-0178, AwsSolutions-VPC7";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var vpc in stack.Resources("aws_vpc"))
        {
            if (!stack.Referencing("aws_flow_log", "vpc_id", vpc).Any())
                yield return Finding(stack, vpc, "the VPC has no flow logs", "add aws_flow_log (Network does)");
        }
    }
}
