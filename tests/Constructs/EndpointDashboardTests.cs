namespace MlopsTf.Tests.Constructs;

[Collection(JsiiCollection.Name)]
public class EndpointDashboardTests
{
    private static JsonArray Widgets(string env) =>
        JsonExpression.Decode(SynthesizedApp.Instance.Document(env).Resource("aws_cloudwatch_dashboard", "endpoint-dashboard/dashboard")["dashboard_body"]!.GetValue<string>())!["widgets"]!.AsArray();

    private static IEnumerable<(string Namespace, string Metric, Dictionary<string, string> Dimensions, JsonObject Options)> Metrics(JsonNode widget) =>
        widget["properties"]!["metrics"]!.AsArray().Select(m => m!.AsArray()).Where(m => m.Count > 1).Select(m =>
        {
            var parts = m.Take(m.Count - 1).Select(p => p!.GetValue<string>()).ToList();
            var dims = Enumerable.Range(0, (parts.Count - 2) / 2).ToDictionary(i => parts[2 + 2 * i], i => parts[3 + 2 * i]);
            return (parts[0], parts[1], dims, m[^1]!.AsObject());
        });

    [Theory]
    [InlineData("dev", new[] { "churn" })]
    [InlineData("staging", new[] { "churn", "churn-ab", "churn-async" })]
    [InlineData("prod", new[] { "churn" })]
    public void Every_endpoint_has_a_row_of_latency_invocations_errors_and_instances(string env, string[] endpoints)
    {
        var widgets = Widgets(env);
        Assert.Equal(endpoints.Length * 4, widgets.Count);
        foreach (var (endpoint, row) in endpoints.Select((e, i) => ($"mlopstf-{env}-{e}", i)))
        {
            var mine = widgets.Where(w => w!["properties"]!["title"]!.GetValue<string>().StartsWith($"{endpoint}: ", StringComparison.Ordinal)).ToList();
            Assert.Equal(4, mine.Count);
            Assert.All(mine, w => Assert.Equal(row * 6, w!["y"]!.GetValue<int>()));
            var latency = Metrics(mine[0]!).ToList();
            Assert.All(latency, m => Assert.Equal(("ModelLatency", endpoint), (m.Metric, m.Dimensions["EndpointName"])));
            Assert.Equal(["p50", "p95", "p99"], latency.Select(m => m.Options["stat"]!.GetValue<string>()).Distinct());
            var isAsync = endpoint.EndsWith("-async", StringComparison.Ordinal);
            Assert.Equal(isAsync ? ["ApproximateBacklogSize", "ApproximateAgeOfOldestRequest"] : ["Invocations"], Metrics(mine[1]!).Select(m => m.Metric).Distinct());
            Assert.Contains(isAsync ? "InvocationFailures" : "Invocation5XXErrors", Metrics(mine[2]!).Select(m => m.Metric));
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Every_line_is_a_metric_sagemaker_publishes_for_that_kind_of_endpoint(string env)
    {
        var config = Platform.Environments.Single(e => e.Name == env);
        var modes = config.Serving.Endpoints.ToDictionary(e => $"mlopstf-{env}-{e.Name}", e => e.Mode ?? config.Serving.DefaultMode);
        foreach (var widget in Widgets(env))
        {
            foreach (var (ns, metric, dims, _) in Metrics(widget!))
            {
                var families = MlopsTf.Constructs.Policies.ServiceRules.MetricCatalog.Find(ns, metric);
                Assert.True(families.Count > 0, $"{ns} {metric} is not published");
                Assert.True(families.Any(f => f.Publishes(dims.Keys)), $"{ns} {metric} is not published with {string.Join("+", dims.Keys)}");
                if (modes[dims["EndpointName"]] == EndpointMode.Serverless)
                    Assert.Contains(metric, MlopsTf.Constructs.Policies.ServiceRules.MetricCatalog.Serverless[ns]);
                if (modes[dims["EndpointName"]] == EndpointMode.Async)
                    Assert.Contains(metric, MlopsTf.Constructs.Policies.ServiceRules.MetricCatalog.Async);
            }
        }
        var expressions = Widgets(env).SelectMany(w => w!["properties"]!["metrics"]!.AsArray()).Select(m => m!.AsArray()).Where(m => m.Count == 1).ToList();
        Assert.All(expressions, e => Assert.Matches(@"^IF\((p\d+ > 0, i\d+ / p\d+|q > 0, b / q), 0\)$", e[0]!["expression"]!.GetValue<string>()));
        var expected = config.Serving.Endpoints.Sum(e => modes[$"mlopstf-{env}-{e.Name}"] switch
        {
            EndpointMode.RealTime => e.Variants.Count,
            EndpointMode.Async => 1,
            _ => 0,
        });
        Assert.Equal(expected, expressions.Count);
    }
}
