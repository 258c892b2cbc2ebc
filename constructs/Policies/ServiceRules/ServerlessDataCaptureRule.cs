namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>An endpoint configuration with a serverless variant has no data capture: Serverless Inference does not support it.</summary>
public sealed class ServerlessDataCaptureRule() : ServiceRule(
    "MLOPSTF-AWS-006",
    "Serverless endpoint configurations have no data capture",
    "https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html#serverless-endpoints-how-it-works-exclusions")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        stack.Resources("aws_sagemaker_endpoint_configuration")
            .Where(c => SageMakerHosting.IsServerless(c) && TerraformValues.Block(c.Body["data_capture_config"]) is not null)
            .Select(c => Finding(stack, c,
                "data_capture_config is set on a configuration with a serverless variant, and Serverless Inference does not support data capture",
                "remove data_capture_config from serverless configurations (capture requests in the caller if needed), or use an instance-based variant"));
}
