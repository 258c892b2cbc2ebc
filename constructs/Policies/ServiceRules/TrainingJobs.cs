namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>A training job a state machine starts, with what the pipeline reads from it.</summary>
/// <param name="State">The <c>createTrainingJob</c> task.</param>
/// <param name="Image">The training image, when it is an image of one of the stack's repositories.</param>
/// <param name="EvaluatedMetric">The metric the evaluation step after it reads (its function's <c>METRIC_NAME</c>), or null.</param>
/// <param name="Evaluator">The evaluation function, or null.</param>
public sealed record TrainingJob(MachineState State, RepositoryImage? Image, string? EvaluatedMetric, StackResource? Evaluator)
{
    /// <summary><c>AlgorithmSpecification.MetricDefinitions</c> (null when absent).</summary>
    public JsonArray? MetricDefinitions => State.Parameter("AlgorithmSpecification/MetricDefinitions") as JsonArray;

    /// <summary>The names of the metric definitions.</summary>
    public IReadOnlyList<string> MetricNames => [.. (MetricDefinitions ?? []).Select(d => TerraformValues.Text(d?["Name"])).OfType<string>()];

    /// <summary>The channels of <c>InputDataConfig</c> (null names for channels without a literal name).</summary>
    public IReadOnlyList<string?> Channels => [.. ((State.Parameter("InputDataConfig") as JsonArray) ?? []).Select(c => TerraformValues.Text(c?["ChannelName"]))];
}

/// <summary>The training jobs the stack's state machines start.</summary>
public static class TrainingJobs
{
    /// <summary>The environment variable of the evaluation function that names the metric it reads.</summary>
    public const string MetricVariable = "METRIC_NAME";

    /// <summary>Every <c>createTrainingJob</c> task, with the evaluation step that follows it.</summary>
    public static IEnumerable<TrainingJob> All(StackDocument stack) =>
        from state in StateMachines.States(stack)
        where state.Calls("sagemaker", "createTrainingJob")
        let image = EcrImages.Parse(stack, TerraformValues.Text(state.Parameter("AlgorithmSpecification/TrainingImage")))
        let evaluation = StateMachines.NextLambda(state)
        let function = evaluation is null ? null : StateMachines.Function(stack, evaluation)
        select new TrainingJob(state, image, function is null ? null : StateMachines.Environment(function, MetricVariable), function);
}
