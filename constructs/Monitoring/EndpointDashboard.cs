namespace MlopsTf.Constructs.Monitoring;

/// <summary>Props for <see cref="EndpointDashboard"/>.</summary>
public sealed record EndpointDashboardProps
{
    /// <summary>The endpoints, one row of widgets each.</summary>
    public required IReadOnlyList<ModelEndpoint> Endpoints { get; init; }
}

/// <summary>
/// A dashboard <c>&lt;prefix&gt;-endpoints</c> with one row per endpoint and a line per variant: model latency p50, p95
/// and p99 (SageMaker publishes <c>ModelLatency</c> in microseconds), invocations, errors (4XX, 5XX and, except on
/// serverless endpoints, which do not publish it, model errors) and instances. SageMaker publishes no instance count: a
/// real-time variant's is <c>Invocations / InvocationsPerInstance</c> (as the at-max-capacity alarm computes it), and a
/// serverless endpoint shows its concurrency utilization instead.
/// </summary>
public sealed class EndpointDashboard : Construct
{
    /// <summary>The dashboard.</summary>
    public CloudwatchDashboard Dashboard { get; }

    /// <summary>Creates the dashboard.</summary>
    public EndpointDashboard(Construct scope, string id, EndpointDashboardProps props) : base(scope, id)
    {
        if (props.Endpoints.Count == 0)
            throw new ArgumentException("EndpointDashboardProps.Endpoints is empty: create the dashboard only for an environment with endpoints.");
        var context = StackContext.Of(scope);
        Dashboard = new CloudwatchDashboard(this, "dashboard", new CloudwatchDashboardConfig
        {
            DashboardName = $"{context.NamePrefix}-endpoints",
            DashboardBody = JsonExpression.Encode(Body(props.Endpoints, context.Region), "dashboard_body"),
        });
    }

    private static string Body(IReadOnlyList<ModelEndpoint> endpoints, string region)
    {
        var widgets = new List<object>();
        foreach (var (endpoint, row) in endpoints.Select((e, i) => (e, i)))
        {
            if (endpoint.Mode == EndpointMode.Async)
            {
                AsyncRow(widgets, endpoint, row * 6, region);
                continue;
            }
            var serverless = endpoint.Mode == EndpointMode.Serverless;
            object[] Metric(string metric, string variant, object options) =>
                ["AWS/SageMaker", metric, "EndpointName", endpoint.Name, "VariantName", variant, options];
            var latency = endpoint.VariantNames.SelectMany(v => new[] { "p50", "p95", "p99" }
                .Select(stat => Metric("ModelLatency", v, new { stat, label = $"{v} {stat}" }))).ToArray();
            var invocations = endpoint.VariantNames.Select(v => Metric("Invocations", v, new { stat = "Sum", label = v })).ToArray();
            string[] errorMetrics = serverless ? ["Invocation4XXErrors", "Invocation5XXErrors"] : ["Invocation4XXErrors", "Invocation5XXErrors", "InvocationModelErrors"];
            var errors = endpoint.VariantNames.SelectMany(v => errorMetrics.Select(m => Metric(m, v, new { stat = "Sum", label = $"{v} {m}" }))).ToArray();
            var instances = serverless
                ? endpoint.VariantNames.Select(v => Metric("ServerlessConcurrentExecutionsUtilization", v, new { stat = "Average", label = $"{v} concurrency utilization" })).ToArray()
                : endpoint.VariantNames.SelectMany((v, i) => new object[]
                {
                    Metric("Invocations", v, new { stat = "Sum", id = $"i{i}", visible = false }),
                    Metric("InvocationsPerInstance", v, new { stat = "Sum", id = $"p{i}", visible = false }),
                    new object[] { new { expression = $"IF(p{i} > 0, i{i} / p{i}, 0)", label = $"{v} instances", id = $"n{i}" } },
                }).ToArray();
            var y = row * 6;
            widgets.Add(Widget($"{endpoint.Name}: model latency (microseconds)", 0, y, region, latency));
            widgets.Add(Widget($"{endpoint.Name}: invocations", 6, y, region, invocations));
            widgets.Add(Widget($"{endpoint.Name}: errors", 12, y, region, errors));
            widgets.Add(Widget(serverless ? $"{endpoint.Name}: concurrency utilization" : $"{endpoint.Name}: instances", 18, y, region, instances));
        }
        return JsonSerializer.Serialize(new { widgets }, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>
    /// An asynchronous endpoint publishes no Invocations (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-monitor.html):
    /// its row shows latency, the backlog, failures and instances as backlog size / backlog size per instance.
    /// </summary>
    private static void AsyncRow(List<object> widgets, ModelEndpoint endpoint, int y, string region)
    {
        object[] EndpointMetric(string metric, object options) => ["AWS/SageMaker", metric, "EndpointName", endpoint.Name, options];
        object[] Metric(string metric, string variant, object options) =>
            ["AWS/SageMaker", metric, "EndpointName", endpoint.Name, "VariantName", variant, options];
        var latency = endpoint.VariantNames.SelectMany(v => new[] { "p50", "p95", "p99" }
            .Select(stat => Metric("ModelLatency", v, new { stat, label = $"{v} {stat}" }))).ToArray();
        widgets.Add(Widget($"{endpoint.Name}: model latency (microseconds)", 0, y, region, latency));
        widgets.Add(Widget($"{endpoint.Name}: backlog", 6, y, region,
        [
            EndpointMetric("ApproximateBacklogSize", new { stat = "Average", label = "queued requests" }),
            EndpointMetric("ApproximateAgeOfOldestRequest", new { stat = "Maximum", label = "oldest request (s)" }),
        ]));
        widgets.Add(Widget($"{endpoint.Name}: errors", 12, y, region,
            [.. endpoint.VariantNames.SelectMany(v => new[] { "InvocationFailures", "Invocation4XXErrors", "Invocation5XXErrors" }
                .Select(m => Metric(m, v, new { stat = "Sum", label = $"{v} {m}" })))]));
        widgets.Add(Widget($"{endpoint.Name}: instances", 18, y, region,
        [
            EndpointMetric("ApproximateBacklogSize", new { stat = "Average", id = "b", visible = false }),
            EndpointMetric("ApproximateBacklogSizePerInstance", new { stat = "Average", id = "q", visible = false }),
            new object[] { new { expression = "IF(q > 0, b / q, 0)", label = "instances", id = "n" } },
        ]));
    }

    private static object Widget(string title, int x, int y, string region, object[] metrics) => new
    {
        type = "metric",
        x,
        y,
        width = 6,
        height = 6,
        properties = new { title, region, period = 60, view = "timeSeries", metrics },
    };
}
