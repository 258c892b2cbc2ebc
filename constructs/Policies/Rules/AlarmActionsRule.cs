namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Alarms have actions enabled. Mirrors CKV_AWS_319.</summary>
public sealed class AlarmActionsRule() : ResourceRule(
    "MLOPSTF-CW-001",
    "Alarms have actions enabled",
    "CKV_AWS_319",
    "aws_cloudwatch_metric_alarm")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource alarm)
    {
        if (alarm.Body["actions_enabled"]?.GetValue<bool>() == false || alarm.Body["alarm_actions"]?.AsArray().Count is null or 0)
            yield return new("the alarm notifies nobody", "set actions_enabled and alarm_actions");
    }
}
