namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Alarm periods and evaluation windows PutMetricAlarm accepts: a period of 10, 20, 30 or a multiple of 60 seconds;
/// period × evaluation periods at most one day for periods under an hour, else seven days; datapoints to alarm at most
/// the evaluation periods; metric math with exactly one returned query.
/// </summary>
public sealed class AlarmPeriodRule() : ServiceRule(
    "MLOPSTF-AWS-026",
    "Alarm periods are 10/20/30 s or multiples of 60 within the evaluation window; one returned metric-math query",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var alarm in CloudWatchAlarms.All(stack))
        {
            var evaluations = TerraformValues.Number(alarm.Body["evaluation_periods"]);
            if (evaluations is < 1)
                yield return Finding(stack, alarm, $"evaluation_periods = {TerraformValues.Show(evaluations.Value)} is below 1", "evaluate at least one period");
            if (TerraformValues.Number(alarm.Body["datapoints_to_alarm"]) is { } datapoints && evaluations is { } n && (datapoints < 1 || datapoints > n))
                yield return Finding(stack, alarm, $"datapoints_to_alarm = {TerraformValues.Show(datapoints)} is not between 1 and evaluation_periods = {TerraformValues.Show(n)}",
                    "alarm on at most as many datapoints as are evaluated");
            var queries = CloudWatchAlarms.Queries(alarm);
            if (queries.Count > 0 && queries.Count(q => q.ReturnsData) is var returned and not 1)
                yield return Finding(stack, alarm, $"metric_query returns {returned} queries (return_data true or unset); an alarm compares exactly one",
                    "set return_data = true on the one expression the alarm compares and false on every other query");
            foreach (var metric in CloudWatchAlarms.Metrics(alarm))
            {
                if (metric.Period is not { } period) continue;
                var field = metric.QueryId is null ? "period" : $"metric_query \"{metric.QueryId}\" period";
                if (!(period is 10 or 20 or 30 || (period >= 60 && period % 60 == 0)))
                    yield return Finding(stack, alarm, $"{field} = {TerraformValues.Show(period)} is not 10, 20, 30 or a multiple of 60 seconds", "use 10, 20 or 30 (high-resolution metrics) or a multiple of 60");
                else if (evaluations is { } count && period * count > (period < 3600 ? 86400 : 604800))
                    yield return Finding(stack, alarm,
                        $"{field} = {TerraformValues.Show(period)} × evaluation_periods = {TerraformValues.Show(count)} is {TerraformValues.Show(period * count)} s, over the {(period < 3600 ? "one day" : "seven days")} CloudWatch evaluates",
                        "shorten the window: fewer evaluation periods, or a period of an hour or more for windows up to seven days");
            }
        }
    }
}
