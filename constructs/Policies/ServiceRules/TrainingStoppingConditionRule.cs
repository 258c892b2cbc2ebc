namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// A training job's <c>StoppingCondition.MaxRuntimeInSeconds</c> is 1 to 2,419,200 (28 days), and a Spot job's
/// <c>MaxWaitTimeInSeconds</c> is at least the runtime, set exactly when <c>EnableManagedSpotTraining</c> is.
/// </summary>
public sealed class TrainingStoppingConditionRule() : ServiceRule(
    "MLOPSTF-AWS-031",
    "Training MaxRuntimeInSeconds is 1-2419200 and MaxWaitTimeInSeconds at least the runtime",
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_StoppingCondition.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        Findings(stack, StateMachines.States(stack).Where(s => s.Calls("sagemaker", "createTrainingJob")), state => state.Machine, Check);

    private static IEnumerable<Violation> Check(MachineState state)
    {
        var runtime = TerraformValues.Number(state.Parameter("StoppingCondition/MaxRuntimeInSeconds"));
        if (runtime is { } r && r is < 1 or > 2419200)
            yield return new($"{state.Label} Parameters.StoppingCondition.MaxRuntimeInSeconds = {TerraformValues.Show(r)} is outside 1 to 2419200 (28 days)",
                "limit the training run to at most 28 days");
        var maxWait = TerraformValues.Number(state.Parameter("StoppingCondition/MaxWaitTimeInSeconds"));
        if (maxWait is { } wait && wait < (runtime ?? 86400))
            yield return new($"{state.Label} Parameters.StoppingCondition.MaxWaitTimeInSeconds = {TerraformValues.Show(wait)} is below MaxRuntimeInSeconds = {TerraformValues.Show(runtime ?? 86400)}",
                "wait for Spot capacity at least as long as the job may run");
        var spot = state.Parameter("EnableManagedSpotTraining") is JsonValue v && v.TryGetValue<bool>(out var on) && on;
        if (spot && maxWait is null)
            yield return new($"{state.Label} sets EnableManagedSpotTraining without StoppingCondition.MaxWaitTimeInSeconds, which Spot training requires",
                "set MaxWaitTimeInSeconds (at least MaxRuntimeInSeconds)");
        if (!spot && maxWait is not null)
            yield return new($"{state.Label} sets StoppingCondition.MaxWaitTimeInSeconds without EnableManagedSpotTraining; SageMaker accepts it only for Spot training",
                "remove MaxWaitTimeInSeconds or enable managed Spot training");
    }
}
