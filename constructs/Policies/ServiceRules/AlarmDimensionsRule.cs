namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Every metric an alarm reads names a dimension combination (and, when it names one, the unit) that AWS publishes
/// the metric with: CloudWatch matches dimension sets exactly, so any other combination is a metric nobody publishes.
/// </summary>
public sealed class AlarmDimensionsRule() : ServiceRule(
    "MLOPSTF-AWS-024",
    "Alarm dimensions (and unit, when set) are a combination the namespace publishes for the metric",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        Findings(stack, CloudWatchAlarms.NamedMetrics(stack), m => m.Metric.Alarm, m => Check(m.Metric, m.Namespace, m.Name));

    private static IEnumerable<Violation> Check(AlarmMetric metric, string ns, string name)
    {
        var families = MetricCatalog.Find(ns, name);
        if (families.Count == 0) yield break;
        if (!families.Any(f => f.Publishes(metric.Dimensions.Keys)))
            yield return new(
                $"{metric.Label}: dimensions [{string.Join(", ", metric.Dimensions.Keys.Order(StringComparer.Ordinal))}] are not a combination {ns} publishes {name} with ({string.Join("; ", families.Select(f => f.DescribeDimensions()))})",
                $"use exactly one of the documented dimension sets ({families[0].Documentation})");
        var units = families.Select(f => f.Names.GetValueOrDefault(name)).OfType<string>().Distinct().ToList();
        if (metric.Unit is { } unit && units.Count > 0 && !units.Contains(unit))
            yield return new($"{metric.Label}: unit = {unit}, but {ns} publishes {name} in {string.Join(" or ", units)}",
                "remove the unit (CloudWatch then matches any) or use the published one");
    }
}
