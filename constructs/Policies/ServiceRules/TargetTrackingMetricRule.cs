namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// A target-tracking policy on a SageMaker dimension uses the predefined metric of that dimension: invocations per
/// instance (or concurrent requests per model) for instance counts, provisioned-concurrency utilization for
/// serverless provisioned concurrency, per-copy metrics for inference components.
/// </summary>
public sealed class TargetTrackingMetricRule() : ServiceRule(
    "MLOPSTF-AWS-018",
    "Target tracking on SageMaker uses the predefined metric of its scalable dimension",
    "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html")
{
    private static readonly Dictionary<string, string[]> MetricsByDimension = new(StringComparer.Ordinal)
    {
        ["sagemaker:variant:DesiredInstanceCount"] = ["SageMakerVariantInvocationsPerInstance", "SageMakerVariantConcurrentRequestsPerModelHighResolution"],
        ["sagemaker:variant:DesiredProvisionedConcurrency"] = ["SageMakerVariantProvisionedConcurrencyUtilization"],
        ["sagemaker:inference-component:DesiredCopyCount"] = ["SageMakerInferenceComponentInvocationsPerCopy", "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution"],
    };

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var policy in stack.Resources("aws_appautoscaling_policy"))
        {
            var predefined = TerraformValues.Block(TerraformValues.Block(policy.Body["target_tracking_scaling_policy_configuration"])?["predefined_metric_specification"]);
            if (TerraformValues.Literal(predefined?["predefined_metric_type"]) is not { } metric) continue;
            var dimension = stack.Dereference(policy.String("scalable_dimension"));
            if (dimension is null || !MetricsByDimension.TryGetValue(dimension, out var allowed))
            {
                if (metric.StartsWith("SageMaker", StringComparison.Ordinal) && dimension is not null && !TerraformReference.Unknown(dimension))
                    yield return Finding(stack, policy, $"predefined_metric_type = {metric} on scalable_dimension {dimension}, which is not a SageMaker dimension",
                        "use a SageMaker metric only on a SageMaker variant or inference component");
                continue;
            }
            if (!allowed.Contains(metric))
                yield return Finding(stack, policy, $"predefined_metric_type = {metric} does not measure scalable_dimension {dimension}",
                    $"use {string.Join(" or ", allowed)} for {dimension}");
        }
    }
}
