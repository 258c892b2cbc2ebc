namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Every metric an alarm reads (its own, or each metric of its metric math) is one AWS publishes in that namespace:
/// an alarm on a metric nobody publishes never leaves INSUFFICIENT_DATA (or, with missing data not breaching, stays OK
/// forever). The table is <see cref="MetricCatalog"/>.
/// </summary>
public sealed class AlarmMetricExistsRule() : ServiceRule(
    "MLOPSTF-AWS-023",
    "Alarm metrics exist in their namespace (SageMaker, Model Monitor, Lambda, API Gateway, Glue, Step Functions, SQS, SNS)",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/aws-services-cloudwatch-metrics.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        Findings(stack, CloudWatchAlarms.NamedMetrics(stack), m => m.Metric.Alarm, m => Check(m.Metric, m.Namespace, m.Name));

    private static IEnumerable<Violation> Check(AlarmMetric metric, string ns, string name)
    {
        var families = MetricCatalog.Of(ns);
        if (families.Count == 0)
        {
            if (MetricCatalog.OwnedByAws(ns))
                yield return new($"{metric.Label}: namespace {ns} is not a namespace AWS publishes metrics in (known: {Closest(ns)})",
                    "use the namespace exactly as the service's metrics page spells it, or add the namespace with its documented metrics to MetricCatalog");
            yield break;
        }
        if (!families.Any(f => f.Has(name)))
            yield return new($"{metric.Label}: {ns} does not publish a metric called {name}",
                $"use a metric listed at {string.Join(" / ", families.Select(f => f.Documentation).Distinct())}");
    }

    private static string Closest(string ns) =>
        string.Join(", ", MetricCatalog.Namespaces.Keys.OrderBy(k => Distance(k.ToLowerInvariant(), ns.ToLowerInvariant())).Take(3));

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
