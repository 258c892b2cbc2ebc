namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// No Model Monitor job watches a serverless endpoint: Serverless Inference supports neither Model Monitor nor the
/// data capture it reads.
/// </summary>
public sealed class ServerlessModelMonitorRule() : ServiceRule(
    "MLOPSTF-AWS-009",
    "No Model Monitor job definition watches a serverless endpoint",
    "https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html#serverless-endpoints-how-it-works-exclusions")
{
    private static readonly string[] JobTypes =
    [
        "aws_sagemaker_data_quality_job_definition", "aws_sagemaker_model_quality_job_definition",
        "aws_sagemaker_model_bias_job_definition", "aws_sagemaker_model_explainability_job_definition",
    ];

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var job in JobTypes.SelectMany(stack.Resources))
        {
            var inputs = job.Body.Where(kv => kv.Key.EndsWith("_job_input", StringComparison.Ordinal)).SelectMany(kv => TerraformValues.Blocks(kv.Value));
            foreach (var input in inputs)
            {
                var name = TerraformValues.Text(TerraformValues.Block(input["endpoint_input"])?["endpoint_name"]);
                if (SageMakerHosting.Endpoint(stack, name) is { } endpoint && SageMakerHosting.IsServerlessEndpoint(stack, endpoint))
                    yield return Finding(stack, job,
                        $"endpoint_input.endpoint_name = {name} is serverless endpoint {endpoint.Path}, and Serverless Inference does not support Model Monitor",
                        "monitor an instance-based endpoint with data capture, or drop the job definition and its schedule for the serverless endpoint");
            }
        }
    }
}
