namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// A training job running the project's own image declares <c>MetricDefinitions</c> that include the metric the
/// evaluation step reads: SageMaker parses metrics from a custom image's logs only by these definitions, so without
/// one <c>FinalMetricDataList</c> is empty and the evaluation fails on every run. Definitions stay within the API's
/// limits (at most 40; name 1-255, regex 1-500 characters).
/// </summary>
public sealed class TrainingMetricDefinitionsRule() : ServiceRule(
    "MLOPSTF-AWS-029",
    "Training jobs on the stack's own image define the metric the evaluation step reads",
    "https://docs.aws.amazon.com/sagemaker/latest/dg/training-metrics.html#define-train-metrics")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        Findings(stack, TrainingJobs.All(stack), job => job.State.Machine, Check);

    private static IEnumerable<Violation> Check(TrainingJob job)
    {
        var where = $"{job.State.Label} Parameters.AlgorithmSpecification.MetricDefinitions";
        var definitions = job.MetricDefinitions ?? [];
        if (definitions.Count > 40)
            yield return new($"{where} has {definitions.Count} definitions; SageMaker accepts at most 40", "define at most 40 metrics");
        foreach (var (definition, i) in definitions.Select((d, i) => (d, i)))
        {
            var name = TerraformValues.Text(definition?["Name"]);
            var regex = TerraformValues.Text(definition?["Regex"]);
            if (name is not { Length: >= 1 and <= 255 })
                yield return new($"{where}[{i}].Name = {name ?? "unset"} is not 1 to 255 characters", "name each metric with 1 to 255 characters");
            if (regex is not { Length: >= 1 and <= 500 })
                yield return new($"{where}[{i}].Regex is {(regex is null ? "unset" : $"{regex.Length} characters")}, not 1 to 500",
                    "give each metric a regex of 1 to 500 characters with one capture group for the value");
        }
        if (job.Image is null || job.EvaluatedMetric is not { } metric || TerraformReference.Unknown(metric)) yield break;
        if (!job.MetricNames.Contains(metric))
            yield return new($"{where} {(job.MetricDefinitions is null ? "is not set" : $"names [{string.Join(", ", job.MetricNames)}]")}, but the image is {job.Image.Repository.Path} (a custom image) and the evaluation step ({job.Evaluator!.Path}) reads {TrainingJobs.MetricVariable} = {metric}: SageMaker reports no such final metric",
                $"add a MetricDefinition named {metric} whose Regex captures the value the training script logs");
    }
}
