namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Alarms have actions enabled. Mirrors CKV_AWS_319.</summary>
public sealed class AlarmActionsRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-CW-001";

    /// <inheritdoc />
    public override string Title => "Alarms have actions enabled";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_319";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var alarm in stack.Resources("aws_cloudwatch_metric_alarm"))
        {
            if (alarm.Body["actions_enabled"]?.GetValue<bool>() == false || alarm.Body["alarm_actions"]?.AsArray().Count is null or 0)
                yield return Finding(stack, alarm, "the alarm notifies nobody", "set actions_enabled and alarm_actions");
        }
    }
}
