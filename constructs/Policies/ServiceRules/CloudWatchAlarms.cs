namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>One metric an alarm reads: the alarm's own metric, or a metric of its <c>metric_query</c>.</summary>
/// <param name="Alarm">The <c>aws_cloudwatch_metric_alarm</c>.</param>
/// <param name="QueryId">Id of the metric query, or null for the alarm's own metric.</param>
/// <param name="Namespace">Namespace (null when unset or unknown before apply).</param>
/// <param name="MetricName">Metric name (null when unset or unknown).</param>
/// <param name="Dimensions">Dimension name → value.</param>
/// <param name="Period">Period in seconds, when known.</param>
/// <param name="Unit">Unit the alarm names, or null.</param>
/// <param name="ReturnsData">Whether this metric is what the alarm compares (the alarm's own metric, or a query with <c>return_data</c>).</param>
public sealed record AlarmMetric(StackResource Alarm, string? QueryId, string? Namespace, string? MetricName,
    IReadOnlyDictionary<string, string> Dimensions, double? Period, string? Unit, bool ReturnsData)
{
    /// <summary>How the metric is named in a finding.</summary>
    public string Label => QueryId is null ? $"metric {Namespace}/{MetricName}" : $"metric_query \"{QueryId}\" ({Namespace}/{MetricName})";
}

/// <summary>One metric query of a metric-math alarm.</summary>
/// <param name="Id">Query id.</param>
/// <param name="Body">The query block.</param>
public sealed record AlarmQuery(string? Id, JsonObject Body)
{
    /// <summary>The metric-math expression, or null for a metric query.</summary>
    public string? Expression => TerraformValues.Text(Body["expression"]);

    /// <summary>Whether the query is returned (CloudWatch's default when unset is true).</summary>
    public bool ReturnsData => TerraformValues.Bool(Body["return_data"]) ?? true;
}

/// <summary>The alarms of a synthesized stack and the metrics they read.</summary>
public static class CloudWatchAlarms
{
    /// <summary>Every metric alarm of the stack.</summary>
    public static IEnumerable<StackResource> All(StackDocument stack) => stack.Resources("aws_cloudwatch_metric_alarm");

    /// <summary>The metric queries of a metric-math alarm (empty for a plain alarm).</summary>
    public static IReadOnlyList<AlarmQuery> Queries(StackResource alarm) =>
        [.. TerraformValues.Blocks(alarm.Body["metric_query"]).Select(q => new AlarmQuery(TerraformValues.Text(q["id"]), q))];

    /// <summary>The metrics an alarm reads.</summary>
    public static IEnumerable<AlarmMetric> Metrics(StackResource alarm)
    {
        var queries = Queries(alarm);
        if (queries.Count == 0)
        {
            if (alarm.Body["metric_name"] is null && alarm.Body["namespace"] is null) yield break;
            yield return new AlarmMetric(alarm, null, TerraformValues.Literal(alarm.Body["namespace"]), TerraformValues.Literal(alarm.Body["metric_name"]),
                Dimensions(alarm.Body["dimensions"]), TerraformValues.Number(alarm.Body["period"]), TerraformValues.Literal(alarm.Body["unit"]), true);
            yield break;
        }
        foreach (var query in queries)
        {
            if (TerraformValues.Block(query.Body["metric"]) is not { } metric) continue;
            yield return new AlarmMetric(alarm, query.Id, TerraformValues.Literal(metric["namespace"]), TerraformValues.Literal(metric["metric_name"]),
                Dimensions(metric["dimensions"]), TerraformValues.Number(metric["period"]), TerraformValues.Literal(metric["unit"]), query.ReturnsData);
        }
    }

    /// <summary>Every metric the stack's alarms read whose namespace and name are known before apply.</summary>
    public static IEnumerable<(AlarmMetric Metric, string Namespace, string Name)> NamedMetrics(StackDocument stack) =>
        from alarm in All(stack)
        from metric in Metrics(alarm)
        where metric is { Namespace: not null, MetricName: not null }
        select (metric, metric.Namespace!, metric.MetricName!);

    private static Dictionary<string, string> Dimensions(JsonNode? node) =>
        (node as JsonObject)?.Where(kv => TerraformValues.Text(kv.Value) is not null)
            .ToDictionary(kv => kv.Key, kv => TerraformValues.Text(kv.Value)!, StringComparer.Ordinal)
        ?? new Dictionary<string, string>(StringComparer.Ordinal);
}
