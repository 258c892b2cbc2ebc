namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Model Monitor job definitions and processing jobs a state machine starts use instance types SageMaker offers for
/// processing (not, e.g., <c>ml.t2.medium</c>).
/// </summary>
public sealed class ProcessingInstanceTypeRule() : ServiceRule(
    "MLOPSTF-AWS-021",
    "Monitoring and processing jobs use instance types valid for processing",
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProcessingClusterConfig.html")
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
            var type = TerraformValues.Literal(TerraformValues.Block(TerraformValues.Block(job.Body["job_resources"])?["cluster_config"])?["instance_type"]);
            if (InstanceTypeUse.Check("job_resources.cluster_config.instance_type", type, InstanceUse.Processing) is { } violation)
                yield return Finding(stack, job, violation);
        }
        foreach (var state in StateMachines.States(stack).Where(s => s.Calls("sagemaker", "createProcessingJob")))
        {
            var type = TerraformValues.Literal(state.Parameter("ProcessingResources/ClusterConfig/InstanceType"));
            if (InstanceTypeUse.Check($"{state.Label} Parameters.ProcessingResources.ClusterConfig.InstanceType", type, InstanceUse.Processing) is { } violation)
                yield return Finding(stack, state.Machine, violation);
        }
    }
}
