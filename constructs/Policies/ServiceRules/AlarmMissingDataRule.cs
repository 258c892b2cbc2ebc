namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Every alarm says how it treats missing data (<c>missing</c>, <c>notBreaching</c>, <c>breaching</c> or
/// <c>ignore</c>): most AWS metrics are published only when something happens, so the default is a decision, not a
/// detail.
/// </summary>
public sealed class AlarmMissingDataRule() : ServiceRule(
    "MLOPSTF-AWS-027",
    "Alarms set treat_missing_data explicitly to missing, notBreaching, breaching or ignore",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data")
{
    private static readonly string[] Treatments = ["missing", "notBreaching", "breaching", "ignore"];

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        Findings(stack, CloudWatchAlarms.All(stack), alarm => alarm, Check);

    private static IEnumerable<Violation> Check(StackResource alarm)
    {
        var treatment = alarm.String("treat_missing_data");
        if (treatment is null)
            yield return new("treat_missing_data is not set, so CloudWatch's default (missing) applies without a decision",
                "set treat_missing_data (MissingData.Breaching / NotBreaching with the reason) for what a period without datapoints means for this metric");
        else if (!TerraformReference.Unknown(treatment) && !Treatments.Contains(treatment))
            yield return new($"treat_missing_data = {treatment} is not one of {string.Join(", ", Treatments)}", "use missing, notBreaching, breaching or ignore");
    }
}
