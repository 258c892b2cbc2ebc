namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Scheduled actions on a SageMaker variant set capacities of at least 1, a minimum at most the maximum, and stay
/// within the scaling target's maximum.
/// </summary>
public sealed class ScheduledScalingRule() : ServiceRule(
    "MLOPSTF-AWS-017",
    "Scheduled actions on SageMaker variants: 1 <= min <= max <= the target's max",
    "https://docs.aws.amazon.com/autoscaling/application/userguide/scheduled-scaling-policy-overview.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        Findings(stack, stack.Resources("aws_appautoscaling_scheduled_action"), action => action, action => Check(stack, action));

    private static IEnumerable<Violation> Check(StackDocument stack, StackResource action)
    {
        if (stack.Dereference(action.String("service_namespace")) != "sagemaker") yield break;
        var capacity = TerraformValues.Block(action.Body["scalable_target_action"]);
        var min = TerraformValues.Number(capacity?["min_capacity"]);
        var max = TerraformValues.Number(capacity?["max_capacity"]);
        foreach (var (field, value) in new[] { ("min_capacity", min), ("max_capacity", max) })
            if (value is < 1)
                yield return new($"scalable_target_action.{field} = {TerraformValues.Show(value.Value)} is below 1; endpoint variants cannot scale to zero",
                    $"set {field} to at least 1");
        if (min is { } low && max is { } high && low > high)
            yield return new($"scalable_target_action.min_capacity = {TerraformValues.Show(low)} exceeds max_capacity = {TerraformValues.Show(high)}",
                "keep the scheduled minimum at most the scheduled maximum");
        var target = stack.Target(TerraformReference.Whole(action.String("resource_id")) is { Type: "aws_appautoscaling_target" } r ? r : null)
            ?? stack.Resources("aws_appautoscaling_target").FirstOrDefault(t => t.String("resource_id") == action.String("resource_id"));
        if (target is null || TerraformValues.Number(target.Body["max_capacity"]) is not { } ceiling) yield break;
        foreach (var (field, value) in new[] { ("min_capacity", min), ("max_capacity", max) })
            if (value > ceiling)
                yield return new($"scalable_target_action.{field} = {TerraformValues.Show(value.Value)} exceeds the scaling target's max_capacity = {TerraformValues.Show(ceiling)} ({target.Path})",
                    "schedule capacities within the target's max_capacity, or raise the target's maximum");
    }
}
