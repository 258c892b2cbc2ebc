namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>Metrics a namespace publishes with the same dimension sets.</summary>
/// <param name="Namespace">CloudWatch namespace, exactly as AWS spells it.</param>
/// <param name="Documentation">The AWS page that lists them.</param>
/// <param name="Names">Metric name → unit AWS publishes it in (null when the table does not pin it).</param>
/// <param name="NamePattern">For metric names with a variable part (per feature, per executor): their pattern.</param>
/// <param name="DimensionSets">The dimension combinations published (an empty set: the namespace-wide aggregate).</param>
public sealed record MetricFamily(string Namespace, string Documentation, IReadOnlyDictionary<string, string?> Names, Regex? NamePattern,
    IReadOnlyList<IReadOnlySet<string>> DimensionSets)
{
    /// <summary>Whether the family has a metric called <paramref name="metricName"/>.</summary>
    public bool Has(string metricName) => Names.ContainsKey(metricName) || NamePattern?.IsMatch(metricName) == true;

    /// <summary>Whether the dimensions are one combination the family publishes.</summary>
    public bool Publishes(IEnumerable<string> dimensions)
    {
        var set = dimensions.ToHashSet(StringComparer.Ordinal);
        return DimensionSets.Any(d => d.SetEquals(set));
    }

    /// <summary>The dimension sets, for a finding.</summary>
    public string DescribeDimensions() =>
        string.Join(" or ", DimensionSets.Select(d => d.Count == 0 ? "none" : string.Join("+", d.Order(StringComparer.Ordinal))));
}

/// <summary>
/// What AWS publishes to CloudWatch in the namespaces this platform alarms on, from each service's metrics page
/// (linked per family). A namespace that AWS owns (<c>AWS/…</c>, <c>/aws/…</c>, <c>Glue</c>) but that is not in this
/// table is reported, so that a new alarm brings its namespace's documented metrics here first.
/// </summary>
public static class MetricCatalog
{
    private const string SageMakerMetrics = "https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html";

    private static readonly string[] EndpointVariant = ["EndpointName", "VariantName"];

    private const string AsyncMetrics = "https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-monitor.html";

    /// <summary>Every family, by namespace.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<MetricFamily>> Namespaces { get; } = Build(
    [
        Family("AWS/SageMaker", SageMakerMetrics + "#cloudwatch-metrics-endpoint-invocation",
            Metrics(("Invocations", "None"), ("Invocation4XXErrors", "None"), ("Invocation5XXErrors", "None"), ("InvocationModelErrors", "None"),
                ("InvocationsPerInstance", "None"), ("ModelLatency", "Microseconds"), ("OverheadLatency", "Microseconds"), ("ModelSetupTime", "Microseconds"),
                ("ConcurrentRequestsPerModel", null), ("ServerlessConcurrentExecutionsUtilization", "None"),
                ("ServerlessProvisionedConcurrencyExecutions", null), ("ServerlessProvisionedConcurrencyUtilization", null),
                ("ServerlessProvisionedConcurrencyInvocations", null), ("ServerlessProvisionedConcurrencySpilloverInvocations", null),
                ("ModelLoadingWaitTime", "Microseconds"), ("ModelUnloadingTime", "Microseconds"), ("ModelDownloadingTime", "Microseconds"),
                ("ModelLoadingTime", "Microseconds"), ("ModelCacheHit", null)),
            null, EndpointVariant, [.. EndpointVariant, "EndpointConfigName"], [.. EndpointVariant, "ContainerName"]),
        Family("AWS/SageMaker", AsyncMetrics,
            Metrics(("ApproximateBacklogSize", "Count"), ("ApproximateBacklogSizePerInstance", "Count"), ("ApproximateAgeOfOldestRequest", "Seconds"),
                ("HasBacklogWithoutCapacity", "Count")),
            null, ["EndpointName"]),
        Family("AWS/SageMaker", AsyncMetrics,
            Metrics(("RequestDownloadFailures", "Count"), ("ResponseUploadFailures", "Count"), ("NotificationFailures", "Count"),
                ("RequestDownloadLatency", "Microseconds"), ("ResponseUploadLatency", "Microseconds"), ("ExpiredRequests", "Count"),
                ("InvocationFailures", "Count"), ("TimeInBacklog", "Microseconds"), ("TotalProcessingTime", "Milliseconds")),
            null, EndpointVariant),
        Family("/aws/sagemaker/Endpoints", SageMakerMetrics + "#cloudwatch-metrics-jobs",
            Metrics(("CPUUtilization", "Percent"), ("MemoryUtilization", "Percent"), ("DiskUtilization", "Percent"), ("GPUUtilization", "Percent"),
                ("GPUMemoryUtilization", "Percent"), ("LoadedModelCount", null)),
            null, EndpointVariant, [.. EndpointVariant, "ContainerName"]),
        Family("/aws/sagemaker/Endpoints/data-metric", "https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-interpreting-cloudwatch.html",
            Metrics(), ModelMonitorFeature(), ["EndpointName", "ScheduleName"]),
        // The dimensions are the SageMaker Python SDK's model quality dashboard's (Endpoint, MonitoringSchedule); AWS's
        // page names the namespace and the metrics, not the dimensions: unproven until a run publishes.
        Family(ModelQualityMetric.Namespace, "https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html",
            Metrics([.. ModelQualityMetric.All.Select(m => (m, (string?)null))]), null, ["Endpoint", "MonitoringSchedule"]),
        Family("/aws/sagemaker/ModelMonitoring/data-metric", "https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-interpreting-cloudwatch.html",
            Metrics(), ModelMonitorFeature(), ["MonitoringSchedule"]),
        .. new[] { "/aws/sagemaker/TrainingJobs", "/aws/sagemaker/ProcessingJobs", "/aws/sagemaker/TransformJobs" }.Select(ns =>
            Family(ns, SageMakerMetrics + "#cloudwatch-metrics-jobs",
                Metrics(("CPUUtilization", "Percent"), ("MemoryUtilization", "Percent"), ("DiskUtilization", "Percent"), ("GPUUtilization", "Percent"),
                    ("GPUMemoryUtilization", "Percent")),
                null, ["Host"])),
        Family("/aws/sagemaker/TrainingJobs", "https://docs.aws.amazon.com/sagemaker/latest/dg/training-metrics.html#define-train-metrics",
            Metrics(), new Regex(".+", RegexOptions.CultureInvariant), ["TrainingJobName"]),
        Family("AWS/Lambda", "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html",
            Metrics(("Invocations", "Count"), ("Errors", "Count"), ("DeadLetterErrors", "Count"), ("DestinationDeliveryFailures", "Count"),
                ("Throttles", "Count"), ("OversizedRecordCount", "Count"), ("ProvisionedConcurrencyInvocations", "Count"),
                ("ProvisionedConcurrencySpilloverInvocations", "Count"), ("RecursiveInvocationsDropped", "Count"), ("Duration", "Milliseconds"),
                ("PostRuntimeExtensionsDuration", "Milliseconds"), ("IteratorAge", "Milliseconds"), ("OffsetLag", null),
                ("ConcurrentExecutions", "Count"), ("ProvisionedConcurrentExecutions", "Count"), ("ProvisionedConcurrencyUtilization", null),
                ("UnreservedConcurrentExecutions", "Count"), ("ClaimedAccountConcurrency", "Count"), ("AsyncEventsReceived", "Count"),
                ("AsyncEventAge", "Milliseconds"), ("AsyncEventsDropped", "Count")),
            null, [], ["FunctionName"], ["FunctionName", "Resource"], ["FunctionName", "ExecutedVersion"], ["FunctionName", "Resource", "ExecutedVersion"]),
        Family("AWS/ApiGateway", "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html",
            Metrics(("4xx", "Count"), ("5xx", "Count"), ("Count", "Count"), ("IntegrationLatency", "Milliseconds"), ("Latency", "Milliseconds"),
                ("DataProcessed", "Bytes")),
            null, ["ApiId"], ["ApiId", "Stage"], ["ApiId", "Stage", "Route"]),
        Family("AWS/ApiGateway", "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html",
            Metrics(("4XXError", "Count"), ("5XXError", "Count"), ("CacheHitCount", "Count"), ("CacheMissCount", "Count"), ("Count", "Count"),
                ("IntegrationLatency", "Milliseconds"), ("Latency", "Milliseconds")),
            null, ["ApiName"], ["ApiName", "Stage"], ["ApiName", "Method", "Resource", "Stage"]),
        Family("Glue", "https://docs.aws.amazon.com/glue/latest/dg/monitoring-awsglue-with-cloudwatch-metrics.html",
            Metrics(), new Regex(@"^glue\.(driver|ALL|[0-9]+)\.[A-Za-z0-9_.]+$", RegexOptions.CultureInvariant), ["JobName", "JobRunId", "Type"]),
        Family("AWS/States", "https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html",
            Metrics(("ExecutionTime", "Milliseconds"), ("ExecutionThrottled", "Count"), ("ExecutionsAborted", "Count"), ("ExecutionsFailed", "Count"),
                ("ExecutionsStarted", "Count"), ("ExecutionsSucceeded", "Count"), ("ExecutionsTimedOut", "Count"), ("ExecutionsRedriven", "Count"),
                ("RedrivenExecutionsAborted", "Count"), ("RedrivenExecutionsFailed", "Count"), ("RedrivenExecutionsSucceeded", "Count"),
                ("RedrivenExecutionsTimedOut", "Count")),
            null, ["StateMachineArn"]),
        Family("AWS/States", "https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html",
            Metrics(("LambdaFunctionRunTime", "Milliseconds"), ("LambdaFunctionScheduleTime", "Milliseconds"), ("LambdaFunctionTime", "Milliseconds"),
                ("LambdaFunctionsFailed", "Count"), ("LambdaFunctionsScheduled", "Count"), ("LambdaFunctionsStarted", "Count"),
                ("LambdaFunctionsSucceeded", "Count"), ("LambdaFunctionsTimedOut", "Count")),
            null, ["LambdaFunctionArn"]),
        Family("AWS/States", "https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html",
            Metrics(("ServiceIntegrationRunTime", "Milliseconds"), ("ServiceIntegrationScheduleTime", "Milliseconds"),
                ("ServiceIntegrationTime", "Milliseconds"), ("ServiceIntegrationsFailed", "Count"), ("ServiceIntegrationsScheduled", "Count"),
                ("ServiceIntegrationsStarted", "Count"), ("ServiceIntegrationsSucceeded", "Count"), ("ServiceIntegrationsTimedOut", "Count")),
            null, ["ServiceIntegrationResourceArn"]),
        Family("AWS/States", "https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html",
            Metrics(("ActivityRunTime", "Milliseconds"), ("ActivityScheduleTime", "Milliseconds"), ("ActivityTime", "Milliseconds"),
                ("ActivitiesFailed", "Count"), ("ActivitiesHeartbeatTimedOut", "Count"), ("ActivitiesTimedOut", "Count"),
                ("ActivitiesScheduled", "Count"), ("ActivitiesSucceeded", "Count"), ("ActivitiesStarted", "Count")),
            null, ["ActivityArn"]),
        Family("AWS/SQS", "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html",
            Metrics(("ApproximateAgeOfOldestMessage", "Seconds"), ("ApproximateNumberOfMessagesDelayed", "Count"),
                ("ApproximateNumberOfMessagesNotVisible", "Count"), ("ApproximateNumberOfMessagesVisible", "Count"), ("NumberOfEmptyReceives", "Count"),
                ("NumberOfMessagesDeleted", "Count"), ("NumberOfMessagesReceived", "Count"), ("NumberOfMessagesSent", "Count"),
                ("SentMessageSize", "Bytes")),
            null, ["QueueName"]),
        Family("AWS/SNS", "https://docs.aws.amazon.com/sns/latest/dg/sns-monitoring-using-cloudwatch.html",
            Metrics(("NumberOfMessagesPublished", "Count"), ("NumberOfNotificationsDelivered", "Count"), ("NumberOfNotificationsFailed", "Count"),
                ("NumberOfNotificationsFilteredOut", "Count"), ("NumberOfNotificationsFilteredOut-InvalidAttributes", "Count"),
                ("NumberOfNotificationsFilteredOut-NoMessageAttributes", "Count"), ("NumberOfNotificationsRedrivenToDlq", "Count"),
                ("NumberOfNotificationsFailedToRedriveToDlq", "Count"), ("PublishSize", "Bytes")),
            null, ["TopicName"]),
    ]);

    /// <summary>
    /// The metrics serverless endpoints publish ("any metric not listed is not published"), by namespace; the
    /// provisioned-concurrency ones only for variants with provisioned concurrency:
    /// https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-monitoring.html
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Serverless { get; } = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        ["AWS/SageMaker"] = new HashSet<string>(StringComparer.Ordinal)
        {
            "OverheadLatency", "Invocation4XXErrors", "Invocation5XXErrors", "Invocations", "ModelLatency", "ModelSetupTime",
            "ServerlessConcurrentExecutionsUtilization",
        },
        ["/aws/sagemaker/Endpoints"] = new HashSet<string>(StringComparer.Ordinal) { "MemoryUtilization" },
    };

    /// <summary>
    /// The metrics asynchronous endpoints publish in <c>AWS/SageMaker</c> ("any metric not listed is not published",
    /// Invocations and InvocationsPerInstance among them); <c>HasBacklogWithoutCapacity</c> is from the page on scaling
    /// asynchronous endpoints out from zero: https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-monitor.html
    /// </summary>
    public static IReadOnlySet<string> Async { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Invocation4XXErrors", "Invocation5XXErrors", "ModelLatency", "ApproximateBacklogSize", "ApproximateBacklogSizePerInstance",
        "ApproximateAgeOfOldestRequest", "HasBacklogWithoutCapacity", "RequestDownloadFailures", "ResponseUploadFailures", "NotificationFailures",
        "RequestDownloadLatency", "ResponseUploadLatency", "ExpiredRequests", "InvocationFailures", "TimeInBacklog", "TotalProcessingTime",
    };

    /// <summary>Serverless metrics published only with provisioned concurrency (namespace <c>AWS/SageMaker</c>).</summary>
    public static IReadOnlySet<string> ServerlessProvisioned { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "ServerlessProvisionedConcurrencyExecutions", "ServerlessProvisionedConcurrencyUtilization",
        "ServerlessProvisionedConcurrencyInvocations", "ServerlessProvisionedConcurrencySpilloverInvocations",
    };

    /// <summary>Whether AWS owns the namespace (custom metrics may not start with <c>AWS/</c>), so the table must know it.</summary>
    public static bool OwnedByAws(string ns) =>
        ns.StartsWith("AWS/", StringComparison.OrdinalIgnoreCase) || ns.StartsWith("/aws/", StringComparison.OrdinalIgnoreCase)
        || ns.StartsWith("aws/", StringComparison.OrdinalIgnoreCase) || ns == "Glue";

    /// <summary>The families of a namespace (empty when the table does not know it).</summary>
    public static IReadOnlyList<MetricFamily> Of(string ns) => Namespaces.GetValueOrDefault(ns) ?? [];

    /// <summary>The families of a namespace that have the metric.</summary>
    public static IReadOnlyList<MetricFamily> Find(string ns, string metricName) => [.. Of(ns).Where(f => f.Has(metricName))];

    private static Regex ModelMonitorFeature() => new(@"^feature_(data|non_null|baseline_drift)_.+$", RegexOptions.CultureInvariant);

    private static Dictionary<string, string?> Metrics(params (string Name, string? Unit)[] metrics) =>
        metrics.ToDictionary(m => m.Name, m => m.Unit, StringComparer.Ordinal);

    private static MetricFamily Family(string ns, string documentation, Dictionary<string, string?> names, Regex? pattern, params string[][] dimensionSets) =>
        new(ns, documentation, names, pattern, [.. dimensionSets.Select(d => (IReadOnlySet<string>)d.ToHashSet(StringComparer.Ordinal))]);

    private static Dictionary<string, IReadOnlyList<MetricFamily>> Build(IEnumerable<MetricFamily> families) =>
        families.GroupBy(f => f.Namespace, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<MetricFamily>)[.. g], StringComparer.Ordinal);
}
