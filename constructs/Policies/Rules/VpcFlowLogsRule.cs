namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Every VPC has flow logs. Mirrors CKV2_AWS_11, AVD-AWS-0178, AwsSolutions-VPC7.</summary>
public sealed class VpcFlowLogsRule() : ResourceRule(
    "MLOPSTF-VPC-001",
    "Every VPC has flow logs",
    "CKV2_AWS_11, AVD-AWS-0178, AwsSolutions-VPC7",
    "aws_vpc")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource vpc)
    {
        if (!stack.Referencing("aws_flow_log", "vpc_id", vpc).Any())
            yield return new("the VPC has no flow logs", "add aws_flow_log (Network does)");
    }
}
