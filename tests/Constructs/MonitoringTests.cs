namespace MlopsTf.Tests.Constructs;

[Collection(JsiiCollection.Name)]
public class MonitoringTests
{
    private static StackDocument Stack(string env) => SynthesizedApp.Instance.Document(env);

    [Fact]
    public void Alerts_topic_is_kms_encrypted_tls_only_and_publishable_by_this_accounts_services()
    {
        var stack = Stack("dev");
        Assert.Equal(stack.Ref("aws_kms_key", "logs-key/key", "arn"), stack.Resource("aws_sns_topic", "alerts/topic")["kms_master_key_id"]!.GetValue<string>());
        var s = JsonValues.BySid(stack.Statements("alerts/policy-document"));
        Assert.Equal(("Deny", "aws:SecureTransport"), (s["DenyInsecureTransport"]["effect"]!.GetValue<string>(), s["DenyInsecureTransport"]["condition"]![0]!["variable"]!.GetValue<string>()));
        Assert.Equal("111122223333", s["ServicesPublishAlerts"]["condition"]![0]!["values"]![0]!.GetValue<string>());
        Assert.Equal(["ml-platform-dev@example.com"], stack.Resources("aws_sns_topic_subscription").Select(x => x["endpoint"]!.GetValue<string>()));
    }

    [Fact]
    public void Alarms_cover_pipeline_functions_and_queues_with_actions_to_the_topic()
    {
        var stack = Stack("dev");
        var alarms = stack.Resources("aws_cloudwatch_metric_alarm")
            .Where(a => a.Path.StartsWith("dev/monitoring/", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["mlopstf-dev-data-validation-dead-letters", "mlopstf-dev-data-validation-errors", "mlopstf-dev-data-validation-throttles",
             "mlopstf-dev-endpoint-cleanup-dead-letters", "mlopstf-dev-endpoint-cleanup-errors", "mlopstf-dev-endpoint-cleanup-throttles",
             "mlopstf-dev-model-evaluation-dead-letters", "mlopstf-dev-model-evaluation-errors", "mlopstf-dev-model-evaluation-throttles",
             "mlopstf-dev-pipeline-failed", "mlopstf-dev-pipeline-timed-out"],
            alarms.Select(a => a["alarm_name"]!.GetValue<string>()).Order());
        var topic = stack.Ref("aws_sns_topic", "alerts/topic", "arn");
        Assert.All(alarms, a =>
        {
            Assert.True(a["actions_enabled"]!.GetValue<bool>());
            Assert.Equal([topic], JsonValues.Strings(a["alarm_actions"]));
            Assert.Equal("notBreaching", a["treat_missing_data"]!.GetValue<string>());
            Assert.Contains("Missing data: notBreaching (", a["alarm_description"]!.GetValue<string>());
        });
    }

    [Fact]
    public void Glue_failures_reach_the_topic_through_eventbridge()
    {
        var stack = Stack("dev");
        var pattern = TerraformValues.ParseEmbedded(stack.Resource("aws_cloudwatch_event_rule", "monitoring/glue-job-failed")["event_pattern"]!.GetValue<string>())!;
        Assert.Equal(["aws.glue"], JsonValues.Strings(pattern["source"]));
        Assert.Equal(["FAILED", "TIMEOUT", "STOPPED"], JsonValues.Strings(pattern["detail"]!["state"]));
        Assert.Equal(stack.Ref("aws_sns_topic", "alerts/topic", "arn"), stack.Resource("aws_cloudwatch_event_target", "monitoring/glue-job-failed-to-alerts")["arn"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("dev", "300")]
    [InlineData("prod", "10000")]
    public void Budget_alerts_the_topic_at_the_configured_percentages(string env, string limit)
    {
        var budget = Stack(env).Resource("aws_budgets_budget", "monitoring/budget");
        Assert.Equal((limit, "MONTHLY"), (budget["limit_amount"]!.GetValue<string>(), budget["time_unit"]!.GetValue<string>()));
        Assert.Equal([80.0, 100.0], budget["notification"]!.AsArray().Select(n => n!["threshold"]!.GetValue<double>()));
    }

    [Fact]
    public void Dashboard_shows_the_pipeline()
    {
        var body = TerraformValues.ParseEmbedded(Stack("dev").Resource("aws_cloudwatch_dashboard", "monitoring/dashboard")["dashboard_body"]!.GetValue<string>())!;
        Assert.Equal(4, body["widgets"]!.AsArray().Count);
        Assert.Equal("Training pipeline executions", body["widgets"]![0]!["properties"]!["title"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Stack_outputs_are_described(string env)
    {
        var outputs = Stack(env).Json["output"]!.AsObject();
        foreach (var name in new[] { "vpc_id", "private_subnet_ids", "sagemaker_domain_id", "data_bucket_name", "model_bucket_name", "artifacts_bucket_name",
                     "ecr_repository_urls", "state_machine_arn", "alerts_topic_arn" })
            Assert.False(string.IsNullOrWhiteSpace(outputs[name]?["description"]?.GetValue<string>()), $"output {name} has a description");
    }
}
