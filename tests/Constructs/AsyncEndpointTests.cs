namespace MlopsTf.Tests.Constructs;

[Collection(JsiiCollection.Name)]
public class AsyncEndpointTests
{
    private static StackDocument Staging => SynthesizedApp.Instance.Document("staging");

    private static EndpointSpec AsyncSpec => Platform.Environments.Single(e => e.Name == "staging").Serving.Endpoints.Single(e => e.Name == "churn-async");

    private static EnvironmentConfig WithAsync(Func<EndpointSpec, EndpointSpec> change)
    {
        var staging = Platform.Environments.Single(e => e.Name == "staging");
        return staging with { Serving = staging.Serving with { Endpoints = [.. staging.Serving.Endpoints.Select(e => e.Name == "churn-async" ? change(e) : e)] } };
    }

    [Fact]
    public void Results_and_failures_go_to_the_data_bucket_encrypted_with_notifications_on_encrypted_topics()
    {
        var stack = Staging;
        var configs = stack.Resources("aws_sagemaker_endpoint_configuration", "endpoint-churn-async/").ToList();
        Assert.Equal(2, configs.Count);
        var data = stack.Ref("aws_s3_bucket", "data-bucket/bucket", "bucket");
        var key = stack.Ref("aws_kms_key", "data-key/key", "arn");
        foreach (var config in configs)
        {
            var async = config["async_inference_config"]!;
            Assert.Equal(4, async["client_config"]!["max_concurrent_invocations_per_instance"]!.GetValue<int>());
            var output = async["output_config"]!;
            Assert.Equal($"s3://{data}/async-inference/churn-async/output/", output["s3_output_path"]!.GetValue<string>());
            Assert.Equal($"s3://{data}/async-inference/churn-async/failures/", output["s3_failure_path"]!.GetValue<string>());
            Assert.Equal(key, output["kms_key_id"]!.GetValue<string>());
            Assert.Equal(stack.Ref("aws_sns_topic", "endpoint-churn-async/async-notifications/success", "arn"), output["notification_config"]!["success_topic"]!.GetValue<string>());
            Assert.Equal(stack.Ref("aws_sns_topic", "endpoint-churn-async/async-notifications/error", "arn"), output["notification_config"]!["error_topic"]!.GetValue<string>());
            Assert.Null(config["data_capture_config"]);
            Assert.Single(config["production_variants"]!.AsArray());
        }
        foreach (var topic in new[] { "success", "error" })
            Assert.Equal(key, stack.Resource("aws_sns_topic", $"endpoint-churn-async/async-notifications/{topic}")["kms_master_key_id"]!.GetValue<string>());
        var endpoint = stack.Resource("aws_sagemaker_endpoint", "endpoint-churn-async/endpoint");
        Assert.Null(endpoint["deployment_config"]);
        Assert.Equal($"s3://{data}/async-inference/churn-async/input/", stack.Json["output"]!["async_input_uris"]!["value"]!["churn-async"]!.GetValue<string>());
    }

    [Fact]
    public void It_scales_on_its_backlog_to_zero_and_out_again_on_the_first_request()
    {
        var stack = Staging;
        var target = stack.Resource("aws_appautoscaling_target", "endpoint-churn-async/async-autoscaling/scaling-target");
        Assert.Equal((0, 2), (target["min_capacity"]!.GetValue<int>(), target["max_capacity"]!.GetValue<int>()));
        Assert.Equal($"endpoint/{stack.Ref("aws_sagemaker_endpoint", "endpoint-churn-async/endpoint", "name")}/variant/primary", target["resource_id"]!.GetValue<string>());
        var tracking = stack.Resource("aws_appautoscaling_policy", "endpoint-churn-async/async-autoscaling/backlog-target-tracking")["target_tracking_scaling_policy_configuration"]!;
        Assert.Equal(5, tracking["target_value"]!.GetValue<double>());
        var metric = tracking["customized_metric_specification"]!;
        Assert.Equal(("AWS/SageMaker", "ApproximateBacklogSizePerInstance", "Average"),
            (metric["namespace"]!.GetValue<string>(), metric["metric_name"]!.GetValue<string>(), metric["statistic"]!.GetValue<string>()));
        Assert.Equal("mlopstf-staging-churn-async", Assert.Single(metric["dimensions"]!.AsArray())!["value"]!.GetValue<string>());
        var step = stack.Resource("aws_appautoscaling_policy", "endpoint-churn-async/async-autoscaling/scale-out-from-zero");
        var alarm = stack.Resource("aws_cloudwatch_metric_alarm", "endpoint-churn-async/async-autoscaling/has-backlog-without-capacity");
        Assert.Equal(("HasBacklogWithoutCapacity", "GreaterThanOrEqualToThreshold"), (alarm["metric_name"]!.GetValue<string>(), alarm["comparison_operator"]!.GetValue<string>()));
        Assert.Equal([step.Ref("arn"), stack.Ref("aws_sns_topic", "alerts/topic", "arn")], JsonValues.Strings(alarm["alarm_actions"]));
        Assert.DoesNotContain(stack.Resources("aws_appautoscaling_policy", "endpoint-churn-async/"), p => p.Path.Contains("invocations"));
    }

    [Fact]
    public void Its_alarms_read_only_metrics_asynchronous_endpoints_publish()
    {
        var stack = Staging;
        var alarms = stack.Resources("aws_cloudwatch_metric_alarm", "endpoint-churn-async/").ToList();
        Assert.Equal(
            ["mlopstf-staging-churn-async-oldest-request", "mlopstf-staging-churn-async-primary-backlog-without-capacity",
                "mlopstf-staging-churn-async-primary-invocation-failures", "mlopstf-staging-churn-async-primary-latency-p95"],
            alarms.Select(a => a["alarm_name"]!.GetValue<string>()).Order());
        foreach (var alarm in alarms)
        {
            var metrics = alarm["metric_name"] is { } name ? [name.GetValue<string>()]
                : alarm["metric_query"]!.AsArray().Where(q => q!["metric"] is not null).Select(q => q!["metric"]![0]!["metric_name"]!.GetValue<string>()).ToList();
            Assert.All(metrics, m => Assert.Contains(m, MetricCatalog.Async));
        }
    }

    [Fact]
    public void The_model_role_reads_requests_writes_results_and_publishes_notifications()
    {
        var stack = Staging;
        var policies = stack.Resources("aws_iam_role_policy").Where(p => p.Path.StartsWith("staging/sagemaker-execution-role/", StringComparison.Ordinal)).Select(p => p.Name).ToList();
        Assert.Contains(policies, n => n.Contains("async-inference-churn-async", StringComparison.Ordinal));
        Assert.Contains(policies, n => n.Contains("churn-async-async-publish", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("variants", "Serving.Endpoints[churn-async].Variants")]
    [InlineData("autoscaling", "Serving.Endpoints[churn-async].Autoscaling")]
    [InlineData("capture", "Serving.Endpoints[churn-async].DataCapture")]
    [InlineData("traffic", "Serving.Endpoints[churn-async].TrafficExpected")]
    [InlineData("max", "Serving.Endpoints[churn-async].Async.MaxInstances")]
    [InlineData("below-initial", "Serving.Endpoints[churn-async].Async.MaxInstances")]
    [InlineData("concurrency", "Serving.Endpoints[churn-async].Async.MaxConcurrentInvocationsPerInstance")]
    public void The_configuration_refuses_what_an_asynchronous_endpoint_cannot_take(string kind, string field)
    {
        var env = WithAsync(e => kind switch
        {
            "variants" => e with { Variants = [.. e.Variants, e.Variants[0] with { Name = "second" }] },
            "autoscaling" => e with { Autoscaling = new() { MaxInstances = 2 } },
            "capture" => e with { DataCapture = new(10) },
            "traffic" => e with { TrafficExpected = true },
            "max" => e with { Async = e.Async with { MaxInstances = 40 } },
            "below-initial" => e with { Variants = [e.Variants[0] with { InstanceCount = 2 }], Async = e.Async with { MaxInstances = 1 } },
            _ => e with { Async = e.Async with { MaxConcurrentInvocationsPerInstance = 0 } },
        });
        var errors = EnvironmentValidator.Validate([env]);
        Assert.Contains(field, errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.StartsWith("Serving.Endpoints[churn-async]", e.Field));
    }

    [Fact]
    public void The_shipped_asynchronous_endpoint_is_valid() => Assert.Equal(EndpointMode.Async, AsyncSpec.Mode);
}
