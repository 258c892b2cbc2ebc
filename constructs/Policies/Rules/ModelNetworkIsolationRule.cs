namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>SageMaker models run network-isolated unless waived. Mirrors CKV_AWS_370.</summary>
public sealed class ModelNetworkIsolationRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-SM-003";

    /// <inheritdoc />
    public override string Title => "SageMaker models run network-isolated unless waived";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_370";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var model in stack.Resources("aws_sagemaker_model"))
        {
            if (!model.True("enable_network_isolation"))
                yield return Finding(stack, model, "the model can reach the network", "enable network isolation, or waive MLOPSTF-SM-003 with the reason (NetworkIsolationWaiver)");
        }
    }
}
