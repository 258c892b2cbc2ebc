namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// A model served by a serverless variant is not network isolated: Serverless Inference does not support network
/// isolation, so CreateEndpoint fails.
/// </summary>
public sealed class ServerlessModelIsolationRule() : ServiceRule(
    "MLOPSTF-AWS-005",
    "Models served by a serverless variant are not network isolated",
    "https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html#serverless-endpoints-how-it-works-exclusions")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        SageMakerHosting.ServerlessModels(stack)
            .Where(m => TerraformValues.Bool(m.Model.Body["enable_network_isolation"]) == true)
            .DistinctBy(m => m.Model.Address)
            .Select(m => Finding(stack, m.Model,
                $"enable_network_isolation = true, but the model serves serverless variant {m.Variant.Name} of {m.Variant.Configuration.Path}, and Serverless Inference does not support network isolation",
                "set enable_network_isolation = false on models that serve serverless variants and waive MLOPSTF-SM-003 with that reason, or serve the model from an instance-based variant"));
}
