namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Alarms on a serverless endpoint use only the metrics serverless endpoints publish (no CPU, disk or per-instance
/// metrics; provisioned-concurrency metrics only with provisioned concurrency).
/// </summary>
public sealed class ServerlessAlarmMetricsRule() : ServiceRule(
    "MLOPSTF-AWS-025",
    "Alarms on serverless endpoints use only metrics serverless endpoints publish",
    "https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-monitoring.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        Findings(stack, CloudWatchAlarms.NamedMetrics(stack), m => m.Metric.Alarm, m => Check(stack, m.Metric, m.Namespace, m.Name));

    private static IEnumerable<Violation> Check(StackDocument stack, AlarmMetric metric, string ns, string name)
    {
        if (SageMakerHosting.Endpoint(stack, metric.Dimensions.GetValueOrDefault("EndpointName")) is not { } endpoint) yield break;
        var variant = metric.Dimensions.GetValueOrDefault("VariantName") is { } v ? SageMakerHosting.ActiveVariant(stack, endpoint, v) : null;
        if (!(variant?.IsServerless ?? SageMakerHosting.IsServerlessEndpoint(stack, endpoint))) yield break;
        var published = MetricCatalog.Serverless.GetValueOrDefault(ns) ?? new HashSet<string>();
        if (published.Contains(name)) yield break;
        var provisioned = ns == "AWS/SageMaker" && MetricCatalog.ServerlessProvisioned.Contains(name);
        if (provisioned && variant?.HasProvisionedConcurrency == true) yield break;
        yield return new(
            provisioned
                ? $"{metric.Label} on serverless endpoint {endpoint.Path}: {name} is published only for variants with provisioned concurrency, and this one has none"
                : $"{metric.Label} on serverless endpoint {endpoint.Path}: serverless endpoints do not publish {ns}/{name}",
            $"alarm on a metric serverless endpoints publish ({string.Join(", ", MetricCatalog.Serverless.SelectMany(kv => kv.Value.Select(m => $"{kv.Key}/{m}")))})");
    }
}
