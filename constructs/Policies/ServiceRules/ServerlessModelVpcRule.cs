namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// A model served by a serverless variant has no <c>vpc_config</c>: Serverless Inference does not support VPC
/// configuration, so CreateEndpoint fails.
/// </summary>
public sealed class ServerlessModelVpcRule() : ServiceRule(
    "MLOPSTF-AWS-004",
    "Models served by a serverless variant have no VPC configuration",
    "https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html#serverless-endpoints-how-it-works-exclusions")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        SageMakerHosting.ServerlessModels(stack)
            .Where(m => TerraformValues.Block(m.Model.Body["vpc_config"]) is not null)
            .DistinctBy(m => m.Model.Address)
            .Select(m => Finding(stack, m.Model,
                $"vpc_config is set, but the model serves serverless variant {m.Variant.Name} of {m.Variant.Configuration.Path}, and Serverless Inference does not support VPC configuration",
                "remove vpc_config from models that serve serverless variants (the endpoint then runs in SageMaker's network, with no interface in the VPC), or serve the model from an instance-based variant"));
}
