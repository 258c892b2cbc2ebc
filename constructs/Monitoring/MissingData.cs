namespace MlopsTf.Constructs.Monitoring;

/// <summary>
/// How an alarm treats periods without datapoints, decided per alarm with the reason (CloudWatch's default,
/// <c>missing</c>, is never left implicit): https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
/// </summary>
/// <param name="Treatment"><c>breaching</c>, <c>notBreaching</c>, <c>ignore</c> or <c>missing</c>.</param>
/// <param name="Reason">Why, in one clause; it ends the alarm's description.</param>
public sealed record MissingData(string Treatment, string Reason)
{
    /// <summary>A missing datapoint counts as breaching.</summary>
    public static MissingData Breaching(string reason) => new("breaching", reason);

    /// <summary>A missing datapoint counts as within the threshold.</summary>
    public static MissingData NotBreaching(string reason) => new("notBreaching", reason);

    /// <summary>The description with the treatment and its reason appended.</summary>
    public string Describe(string description) => $"{description}. Missing data: {Treatment} ({Reason})";
}
