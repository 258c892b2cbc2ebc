namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>SageMaker models run network-isolated unless waived. Mirrors CKV_AWS_370.</summary>
public sealed class ModelNetworkIsolationRule() : ResourceRule(
    "MLOPSTF-SM-003",
    "SageMaker models run network-isolated unless waived",
    "CKV_AWS_370",
    "aws_sagemaker_model")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource model)
    {
        if (!model.True("enable_network_isolation"))
            yield return new("the model can reach the network", "enable network isolation, or waive MLOPSTF-SM-003 with the reason (NetworkIsolationWaiver)");
    }
}
