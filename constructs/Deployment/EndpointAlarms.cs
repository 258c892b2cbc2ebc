namespace MlopsTf.Constructs.Deployment;

/// <summary>Props for <see cref="EndpointAlarms"/>.</summary>
public sealed record EndpointAlarmsProps
{
    /// <summary>Endpoint name, prefix included.</summary>
    public required string EndpointName { get; init; }

    /// <summary>Variants of the active release.</summary>
    public required IReadOnlyList<string> VariantNames { get; init; }

    /// <summary>How the endpoint serves; serverless endpoints publish no model errors. Default: real-time.</summary>
    public EndpointMode Mode { get; init; } = EndpointMode.RealTime;

    /// <summary>p95 model latency alarm threshold in milliseconds.</summary>
    public required int LatencyP95Ms { get; init; }

    /// <summary>5XX and model error rate alarm threshold in percent.</summary>
    public required double ErrorRatePercent { get; init; }

    /// <summary>Alarm when no invocations arrive for 15 minutes (for endpoints with requests around the clock). Default: false.</summary>
    public bool TrafficExpected { get; init; }

    /// <summary>Topic the alarms notify.</summary>
    public required AlertsTopic Alerts { get; init; }

    /// <summary>Asynchronous endpoints: age of the oldest queued request, in seconds, that raises the backlog alarm. Default: 900.</summary>
    public int OldestRequestAlarmSeconds { get; init; } = 900;
}

/// <summary>
/// The health alarms of each variant of an endpoint: p95 latency, 5XX and model error rates (the alarms a blue/green
/// deployment rolls back on) and, where traffic is expected, no invocations. They notify the alerts topic.
/// </summary>
/// <remarks>
/// The alarms stood directly in the endpoint's scope (<c>alarm-&lt;variant&gt;-&lt;kind&gt;</c>) before this construct
/// existed; each declares that move, so deployed stacks keep their alarms.
/// </remarks>
public sealed class EndpointAlarms : Construct
{
    private readonly Dictionary<string, CloudwatchMetricAlarm> _alarms = new();
    private readonly IReadOnlyList<string> _endpointPath;

    /// <summary>The alarms that roll a deployment back.</summary>
    public IReadOnlyList<CloudwatchMetricAlarm> RollbackAlarms { get; }

    /// <summary>Every alarm, by id (<c>&lt;variant&gt;-&lt;kind&gt;</c>).</summary>
    public IReadOnlyDictionary<string, CloudwatchMetricAlarm> Alarms => _alarms;

    /// <summary>Creates the alarms of every variant of the endpoint construct <paramref name="scope"/>.</summary>
    public EndpointAlarms(Construct scope, string id, EndpointAlarmsProps props) : base(scope, id)
    {
        _endpointPath = LogicalIds.BelowStack(scope);
        var name = props.EndpointName;
        var rollback = new List<CloudwatchMetricAlarm>();
        foreach (var v in props.VariantNames)
        {
            var dims = Dimensions(name, v);
            rollback.Add(Alarm($"{v}-latency-p95", NoRequestsIsHealthy, props, new CloudwatchMetricAlarmConfig
            {
                AlarmName = $"{name}-{v}-latency-p95", AlarmDescription = $"p95 model latency of {name}/{v} above {props.LatencyP95Ms} ms",
                // ModelLatency is published in microseconds.
                Namespace = "AWS/SageMaker", MetricName = "ModelLatency", Dimensions = dims, ExtendedStatistic = "p95", Period = 60,
                EvaluationPeriods = 3, DatapointsToAlarm = 3, Threshold = props.LatencyP95Ms * 1000.0, ComparisonOperator = "GreaterThanThreshold",
            }));
            if (props.Mode == EndpointMode.Async)
            {
                // Asynchronous endpoints publish no Invocations, so no error rate: any failed request is reported.
                // https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-monitor.html
                Alarm($"{v}-invocation-failures", NoRequestsIsHealthy, props, new CloudwatchMetricAlarmConfig
                {
                    AlarmName = $"{name}-{v}-invocation-failures", AlarmDescription = $"Asynchronous requests to {name}/{v} failed",
                    Namespace = "AWS/SageMaker", MetricName = "InvocationFailures", Dimensions = dims, Statistic = "Sum", Period = 300,
                    EvaluationPeriods = 1, Threshold = 0, ComparisonOperator = "GreaterThanThreshold",
                });
                continue;
            }
            rollback.Add(RateAlarm(v, "5xx-rate", "Invocation5XXErrors", props));
            // Serverless endpoints do not publish InvocationModelErrors.
            if (props.Mode == EndpointMode.RealTime)
                rollback.Add(RateAlarm(v, "model-error-rate", "InvocationModelErrors", props));
            if (props.TrafficExpected)
            {
                Alarm($"{v}-no-invocations", MissingData.Breaching("SageMaker publishes Invocations only for requests, so a period without requests has no datapoint and is what this alarm reports"),
                    props, new CloudwatchMetricAlarmConfig
                    {
                        AlarmName = $"{name}-{v}-no-invocations", AlarmDescription = $"{name}/{v} received no invocations for 15 minutes (traffic is expected around the clock)",
                        Namespace = "AWS/SageMaker", MetricName = "Invocations", Dimensions = dims, Statistic = "Sum", Period = 300,
                        EvaluationPeriods = 3, Threshold = 1, ComparisonOperator = "LessThanThreshold",
                    });
            }
        }
        if (props.Mode == EndpointMode.Async)
        {
            Alarm("oldest-request", MissingData.NotBreaching("the oldest request's age is published while requests are queued; no datapoint means an empty queue"),
                props, new CloudwatchMetricAlarmConfig
                {
                    AlarmName = $"{name}-oldest-request", AlarmDescription = $"A request has waited in {name}'s queue over {props.OldestRequestAlarmSeconds} s",
                    Namespace = "AWS/SageMaker", MetricName = "ApproximateAgeOfOldestRequest", Dimensions = new Dictionary<string, string> { ["EndpointName"] = name },
                    Statistic = "Maximum", Period = 300, EvaluationPeriods = 1, Threshold = props.OldestRequestAlarmSeconds, ComparisonOperator = "GreaterThanThreshold",
                });
        }
        RollbackAlarms = rollback;
    }

    /// <summary>The CloudWatch dimensions of one variant's metrics.</summary>
    public static Dictionary<string, string> Dimensions(string endpointName, string variantName) =>
        new() { ["EndpointName"] = endpointName, ["VariantName"] = variantName };

    /// <summary>A metric of a metric-math alarm that the expression reads but does not return.</summary>
    public static ICloudwatchMetricAlarmMetricQuery Input(string id, string metricNamespace, string metric, Dictionary<string, string> dims, int period, string stat) =>
        new CloudwatchMetricAlarmMetricQuery
        {
            Id = id,
            ReturnData = false,
            Metric = new CloudwatchMetricAlarmMetricQueryMetric { Namespace = metricNamespace, MetricName = metric, Dimensions = dims, Period = period, Stat = stat },
        };

    /// <summary>
    /// An alarm with id <paramref name="id"/> in <paramref name="scope"/> that notifies <paramref name="topicArn"/> on
    /// alarm and recovery (unless <paramref name="config"/> sets its actions) and says how it treats missing data.
    /// </summary>
    public static CloudwatchMetricAlarm Add(Construct scope, string id, string topicArn, MissingData missing, CloudwatchMetricAlarmConfig config)
    {
        config.ActionsEnabled = true;
        config.AlarmActions ??= [topicArn];
        config.OkActions ??= [topicArn];
        config.TreatMissingData = missing.Treatment;
        config.AlarmDescription = missing.Describe(config.AlarmDescription!);
        return new CloudwatchMetricAlarm(scope, id, config);
    }

    private CloudwatchMetricAlarm Alarm(string id, MissingData missing, EndpointAlarmsProps p, CloudwatchMetricAlarmConfig config)
    {
        var alarm = _alarms[id] = Add(this, id, p.Alerts.Arn, missing, config);
        // Alarms of asynchronous endpoints came after this construct, so nothing of theirs moved.
        if (p.Mode != EndpointMode.Async) LogicalIds.MovedFrom(alarm, _endpointPath, $"alarm-{id}");
        return alarm;
    }

    private static readonly MissingData NoRequestsIsHealthy =
        MissingData.NotBreaching("without requests SageMaker publishes no invocation metrics, and an endpoint that serves nothing is not failing");

    private CloudwatchMetricAlarm RateAlarm(string variant, string kind, string errorMetric, EndpointAlarmsProps p) =>
        Alarm($"{variant}-{kind}", NoRequestsIsHealthy, p, RatePercent($"{p.EndpointName}-{variant}-{kind}",
            $"{errorMetric} above {p.ErrorRatePercent} % of invocations on {p.EndpointName}/{variant}", p.ErrorRatePercent,
            "AWS/SageMaker", Dimensions(p.EndpointName, variant), errorMetric, ("invocations", "Invocations"), "error rate (%)"));

    /// <summary>
    /// An alarm on 100 × <paramref name="errorMetric"/> / <paramref name="total"/> (one-minute sums; 0 without
    /// requests) above <paramref name="thresholdPercent"/> in 2 of 3 periods.
    /// </summary>
    public static CloudwatchMetricAlarmConfig RatePercent(string alarmName, string description, double thresholdPercent, string metricNamespace,
        Dictionary<string, string> dims, string errorMetric, (string Id, string Metric) total, string label) => new()
    {
        AlarmName = alarmName,
        AlarmDescription = description,
        ComparisonOperator = "GreaterThanThreshold",
        EvaluationPeriods = 3,
        DatapointsToAlarm = 2,
        Threshold = thresholdPercent,
        MetricQuery = new[]
        {
            Input("errors", metricNamespace, errorMetric, dims, 60, "Sum"),
            Input(total.Id, metricNamespace, total.Metric, dims, 60, "Sum"),
            new CloudwatchMetricAlarmMetricQuery { Id = "rate", Expression = $"IF({total.Id} > 0, 100 * errors / {total.Id}, 0)", Label = label, ReturnData = true },
        },
    };
}
