namespace MlopsTf.Tests.Constructs;

[Collection(JsiiCollection.Name)]
public class DeploymentTests
{
    private static StackDocument Stack(string env) => SynthesizedApp.Instance.Document(env);

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Models_run_in_the_vpc_network_isolated_with_the_scoped_role(string env)
    {
        var stack = Stack(env);
        foreach (var version in new[] { "1.0.0", "1.1.0" })
        {
            var model = stack.Resource("aws_sagemaker_model", $"model-churn/version-{version}");
            Assert.Equal($"mlopstf-{env}-churn-{version.Replace('.', '-')}-{DeployableModel.ShortHash(version, $"churn/{version}/model.tar.gz")}", model["name"]!.GetValue<string>());
            Assert.True(model["enable_network_isolation"]!.GetValue<bool>());
            Assert.Equal(stack.Ref("aws_iam_role", "sagemaker-execution-role/role", "arn"), model["execution_role_arn"]!.GetValue<string>());
            Assert.Equal($"{stack.Ref("aws_ecr_repository", "inference-repository/repository", "repository_url")}:{version}", model["primary_container"]!["image"]!.GetValue<string>());
            Assert.Equal($"s3://{stack.Ref("aws_s3_bucket", "models-bucket/bucket", "bucket")}/churn/{version}/model.tar.gz", model["primary_container"]!["model_data_url"]!.GetValue<string>());
            Assert.Equal([stack.Ref("aws_security_group", "network/sagemaker-security-group", "id")], JsonValues.Strings(model["vpc_config"]!["security_group_ids"]));
        }
    }

    [Fact]
    public void Every_retained_version_keeps_a_kms_encrypted_configuration_and_the_endpoint_points_at_the_active_one()
    {
        var stack = Stack("prod");
        var configs = stack.Resources("aws_sagemaker_endpoint_configuration", "endpoint-churn/").ToList();
        Assert.Equal(2, configs.Count);
        Assert.All(configs, c =>
        {
            Assert.Equal(stack.Ref("aws_kms_key", "models-key/key", "arn"), c["kms_key_arn"]!.GetValue<string>());
            Assert.True(c["lifecycle"]!["create_before_destroy"]!.GetValue<bool>());
            Assert.Matches("^mlopstf-prod-churn-1-[01]-0-[0-9a-f]{6}$", c["name"]!.GetValue<string>());
        });
        var endpoint = stack.Resource("aws_sagemaker_endpoint", "endpoint-churn/endpoint");
        Assert.Equal("mlopstf-prod-churn", endpoint["name"]!.GetValue<string>());
        Assert.Equal(stack.Ref("aws_sagemaker_endpoint_configuration", "endpoint-churn/configuration-1.1.0", "name"), endpoint["endpoint_config_name"]!.GetValue<string>());
    }

    [Fact]
    public void Data_capture_records_input_and_output_to_the_data_bucket_with_kms()
    {
        var stack = Stack("prod");
        var capture = stack.Resource("aws_sagemaker_endpoint_configuration", "endpoint-churn/configuration-1.1.0")["data_capture_config"]!;
        Assert.True(capture["enable_capture"]!.GetValue<bool>());
        Assert.Equal(10, capture["initial_sampling_percentage"]!.GetValue<int>());
        Assert.Equal($"s3://{stack.Ref("aws_s3_bucket", "data-bucket/bucket", "bucket")}/capture/churn", capture["destination_s3_uri"]!.GetValue<string>());
        Assert.Equal(stack.Ref("aws_kms_key", "data-key/key", "arn"), capture["kms_key_id"]!.GetValue<string>());
        Assert.Equal(["Input", "Output"], capture["capture_options"]!.AsArray().Select(o => o!["capture_mode"]!.GetValue<string>()));
    }

    [Fact]
    public void Prod_canary_rolls_back_on_the_alarms_this_construct_creates()
    {
        var stack = Stack("prod");
        var deployment = stack.Resource("aws_sagemaker_endpoint", "endpoint-churn/endpoint")["deployment_config"]!;
        var routing = deployment["blue_green_update_policy"]!["traffic_routing_configuration"]!;
        Assert.Equal(("CANARY", 600), (routing["type"]!.GetValue<string>(), routing["wait_interval_in_seconds"]!.GetValue<int>()));
        Assert.Equal(("CAPACITY_PERCENT", 10), (routing["canary_size"]!["type"]!.GetValue<string>(), routing["canary_size"]!["value"]!.GetValue<int>()));
        Assert.Equal(600, deployment["blue_green_update_policy"]!["termination_wait_in_seconds"]!.GetValue<int>());
        Assert.Equal(3600, deployment["blue_green_update_policy"]!["maximum_execution_timeout_in_seconds"]!.GetValue<int>());
        var rollback = deployment["auto_rollback_configuration"]!["alarms"]!.AsArray().Select(a => a!["alarm_name"]!.GetValue<string>()).ToList();
        Assert.Equal(new[] { "latency-p95", "5xx-rate", "model-error-rate" }.Select(a => stack.Ref("aws_cloudwatch_metric_alarm", $"endpoint-churn/alarms/primary-{a}", "alarm_name")), rollback);
    }

    [Fact]
    public void Staging_linear_rollout_shifts_in_steps()
    {
        var routing = Stack("staging").Resource("aws_sagemaker_endpoint", "endpoint-churn/endpoint")["deployment_config"]!["blue_green_update_policy"]!["traffic_routing_configuration"]!;
        Assert.Equal("LINEAR", routing["type"]!.GetValue<string>());
        Assert.Equal(25, routing["linear_step_size"]!["value"]!.GetValue<int>());
        Assert.Null(routing["canary_size"]);
    }

    [Fact]
    public void Weighted_variants_serve_two_versions_at_their_weights_without_traffic_shifting()
    {
        var stack = Stack("staging");
        var config = Assert.Single(stack.Resources("aws_sagemaker_endpoint_configuration", "endpoint-churn-ab/"));
        var variants = config["production_variants"]!.AsArray();
        Assert.Equal([("current", 9.0), ("candidate", 1.0)], variants.Select(v => (v!["variant_name"]!.GetValue<string>(), v["initial_variant_weight"]!.GetValue<double>())));
        Assert.Equal(stack.Ref("aws_sagemaker_model", "model-churn/version-1.0.0", "name"), variants[0]!["model_name"]!.GetValue<string>());
        Assert.Equal(stack.Ref("aws_sagemaker_model", "model-churn/version-1.1.0", "name"), variants[1]!["model_name"]!.GetValue<string>());
        Assert.Null(stack.Resource("aws_sagemaker_endpoint", "endpoint-churn-ab/endpoint")["deployment_config"]);
    }

    [Fact]
    public void Dev_serves_serverless_without_capture_and_is_tagged_for_the_nightly_cleanup()
    {
        var stack = Stack("dev");
        var config = stack.Resource("aws_sagemaker_endpoint_configuration", "endpoint-churn/configuration-1.1.0");
        var serverless = config["production_variants"]![0]!["serverless_config"]!;
        Assert.Equal((2048, 5), (serverless["memory_size_in_mb"]!.GetValue<int>(), serverless["max_concurrency"]!.GetValue<int>()));
        Assert.Null(config["production_variants"]![0]!["instance_type"]);
        Assert.Null(config["data_capture_config"]);
        var endpoint = stack.Resource("aws_sagemaker_endpoint", "endpoint-churn/endpoint");
        Assert.Equal("true", endpoint["tags"]![EndpointCleanup.TagKey]!.GetValue<string>());
        Assert.Null(endpoint["deployment_config"]);
    }

    [Fact]
    public void Autoscaling_tracks_invocations_steps_on_cpu_and_scales_down_off_hours_without_fighting_terraform()
    {
        var stack = Stack("staging");
        var target = stack.Resource("aws_appautoscaling_target", "endpoint-churn/primary-autoscaling/scaling-target");
        Assert.Equal(("sagemaker:variant:DesiredInstanceCount", 1, 3), (target["scalable_dimension"]!.GetValue<string>(), target["min_capacity"]!.GetValue<int>(), target["max_capacity"]!.GetValue<int>()));
        Assert.Equal($"endpoint/{stack.Ref("aws_sagemaker_endpoint", "endpoint-churn/endpoint", "name")}/variant/primary", target["resource_id"]!.GetValue<string>());
        Assert.Equal(["min_capacity", "max_capacity"], JsonValues.Strings(target["lifecycle"]!["ignore_changes"]));
        var tracking = stack.Resource("aws_appautoscaling_policy", "endpoint-churn/primary-autoscaling/invocations-target-tracking")["target_tracking_scaling_policy_configuration"]!;
        Assert.Equal("SageMakerVariantInvocationsPerInstance", tracking["predefined_metric_specification"]!["predefined_metric_type"]!.GetValue<string>());
        Assert.Equal(100, tracking["target_value"]!.GetValue<int>());
        var cpuAlarm = stack.Resource("aws_cloudwatch_metric_alarm", "endpoint-churn/primary-autoscaling/cpu-high");
        Assert.Contains(stack.Ref("aws_appautoscaling_policy", "endpoint-churn/primary-autoscaling/cpu-step-scaling", "arn"), JsonValues.Strings(cpuAlarm["alarm_actions"]));
        var night = stack.Resource("aws_appautoscaling_scheduled_action", "endpoint-churn/primary-autoscaling/off-hours");
        Assert.Equal(("cron(0 19 ? * MON-FRI *)", "1"), (night["schedule"]!.GetValue<string>(), night["scalable_target_action"]!["max_capacity"]!.GetValue<string>()));
        var prodTarget = Stack("prod").Resource("aws_appautoscaling_target", "endpoint-churn/primary-autoscaling/scaling-target");
        Assert.Null(prodTarget["lifecycle"]);
        Assert.Empty(Stack("prod").Resources("aws_appautoscaling_scheduled_action"));
    }

    [Fact]
    public void Endpoint_alarms_watch_latency_errors_traffic_and_capacity()
    {
        var stack = Stack("prod");
        var names = stack.Resources("aws_cloudwatch_metric_alarm", "endpoint-churn/").Select(a => a["alarm_name"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["mlopstf-prod-churn-primary-5xx-rate", "mlopstf-prod-churn-primary-at-max-capacity", "mlopstf-prod-churn-primary-cpu-high",
            "mlopstf-prod-churn-primary-latency-p95", "mlopstf-prod-churn-primary-model-error-rate", "mlopstf-prod-churn-primary-no-invocations"], names);
        var latency = stack.Resource("aws_cloudwatch_metric_alarm", "endpoint-churn/alarms/primary-latency-p95");
        Assert.Equal(("p95", 500_000), (latency["extended_statistic"]!.GetValue<string>(), latency["threshold"]!.GetValue<int>()));
        var rate = stack.Resource("aws_cloudwatch_metric_alarm", "endpoint-churn/alarms/primary-5xx-rate");
        Assert.Equal(1, rate["threshold"]!.GetValue<int>());
        Assert.Contains(rate["metric_query"]!.AsArray(), q => q!["expression"]?.GetValue<string>() == "IF(invocations > 0, 100 * errors / invocations, 0)");
        var quiet = stack.Resource("aws_cloudwatch_metric_alarm", "endpoint-churn/alarms/primary-no-invocations");
        Assert.Equal(("LessThanThreshold", "breaching"), (quiet["comparison_operator"]!.GetValue<string>(), quiet["treat_missing_data"]!.GetValue<string>()));
        var max = stack.Resource("aws_cloudwatch_metric_alarm", "endpoint-churn/primary-autoscaling/at-max-capacity");
        Assert.Equal(6, max["threshold"]!.GetValue<int>());
        Assert.All(stack.Resources("aws_cloudwatch_metric_alarm", "endpoint-churn/"), a =>
            Assert.Contains(stack.Ref("aws_sns_topic", "alerts/topic", "arn"), JsonValues.Strings(a["alarm_actions"])));
    }

    [Fact]
    public void Drift_monitoring_is_encrypted_in_the_vpc_and_its_alarm_starts_retraining()
    {
        var stack = Stack("prod");
        var job = stack.Resource("aws_sagemaker_data_quality_job_definition", "drift-churn/job-definition");
        Assert.Equal(stack.Ref("aws_kms_key", "data-key/key", "arn"), job["data_quality_job_output_config"]!["kms_key_id"]!.GetValue<string>());
        Assert.Equal(stack.Ref("aws_kms_key", "data-key/key", "arn"), job["job_resources"]!["cluster_config"]!["volume_kms_key_id"]!.GetValue<string>());
        Assert.True(job["network_config"]!["enable_inter_container_traffic_encryption"]!.GetValue<bool>());
        Assert.NotEmpty(job["network_config"]!["vpc_config"]!["subnets"]!.AsArray());
        var baseline = job["data_quality_baseline_config"]!;
        Assert.Equal($"s3://{stack.Ref("aws_s3_bucket", "models-bucket/bucket", "bucket")}/churn/1.1.0/baseline/constraints.json", baseline["constraints_resource"]!["s3_uri"]!.GetValue<string>());
        var schedule = stack.Resource("aws_sagemaker_monitoring_schedule", "drift-churn/schedule");
        Assert.Equal("DataQuality", schedule["monitoring_schedule_config"]!["monitoring_type"]!.GetValue<string>());
        var alarm = stack.Resource("aws_cloudwatch_metric_alarm", "drift-churn/drift-alarm");
        Assert.Equal(("feature_baseline_drift_spend_30d", 0.15), (alarm["metric_name"]!.GetValue<string>(), alarm["threshold"]!.GetValue<double>()));
        // Where Model Monitor publishes real-time endpoint metrics, with the dimensions it publishes them with.
        Assert.Equal("/aws/sagemaker/Endpoints/data-metric", alarm["namespace"]!.GetValue<string>());
        Assert.Equal(
            new Dictionary<string, string> { ["EndpointName"] = "mlopstf-prod-churn", ["ScheduleName"] = stack.Ref("aws_sagemaker_monitoring_schedule", "drift-churn/schedule", "name") },
            alarm["dimensions"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>()));
        Assert.Equal("notBreaching", alarm["treat_missing_data"]!.GetValue<string>());
        Assert.Contains("Missing data: notBreaching (", alarm["alarm_description"]!.GetValue<string>());
        var pattern = TerraformValues.ParseEmbedded(stack.Resource("aws_cloudwatch_event_rule", "drift-churn/retrain-on-drift")["event_pattern"]!.GetValue<string>())!;
        Assert.Equal([stack.Ref("aws_cloudwatch_metric_alarm", "drift-churn/drift-alarm", "arn")], JsonValues.Strings(pattern["resources"]));
        Assert.Equal(stack.Ref("aws_sfn_state_machine", "training-pipeline/state-machine", "arn"),
            stack.Resource("aws_cloudwatch_event_target", "drift-churn/retrain-target")["arn"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("jwt")]
    [InlineData("iam")]
    public void Public_api_authorization_is_configurable(string kind)
    {
        var authorization = kind == "jwt"
            ? ApiAuthorization.Jwt("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example", "web-app")
            : ApiAuthorization.Iam;
        var config = Staging.Config with { Serving = Staging.Config.Serving with { PublicApi = Staging.Config.Serving.PublicApi! with { Authorization = authorization } } };
        Assert.Empty(EnvironmentValidator.Validate([config]));
        var stack = ConfigSynth.Environment(config);
        var route = stack.Resource("aws_apigatewayv2_route", "inference-api/predict-route");
        if (kind == "iam")
        {
            Assert.Equal("AWS_IAM", route.String("authorization_type"));
            Assert.Null(route["authorizer_id"]);
            Assert.Empty(stack.Resources("aws_apigatewayv2_authorizer"));
            return;
        }
        Assert.Equal("JWT", route.String("authorization_type"));
        Assert.Equal(stack.Ref("aws_apigatewayv2_authorizer", "inference-api/jwt-authorizer", "id"), route.String("authorizer_id"));
        var authorizer = stack.Resource("aws_apigatewayv2_authorizer", "inference-api/jwt-authorizer");
        Assert.Equal(("JWT", "$request.header.Authorization"), (authorizer.String("authorizer_type"), JsonValues.Strings(authorizer["identity_sources"]).Single()));
        Assert.Equal("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example", authorizer["jwt_configuration"]!["issuer"]!.GetValue<string>());
        Assert.Equal(["web-app"], JsonValues.Strings(authorizer["jwt_configuration"]!["audience"]));
        Assert.Empty(PolicyPack.Evaluate(stack).Findings);
    }

    [Fact]
    public void Public_api_routes_predict_to_the_proxy_with_throttling_cors_and_encrypted_access_logs()
    {
        var stack = Stack("staging");
        Assert.Equal("POST /predict", stack.Resource("aws_apigatewayv2_route", "inference-api/predict-route")["route_key"]!.GetValue<string>());
        var api = stack.Resource("aws_apigatewayv2_api", "inference-api/api");
        Assert.Equal(["https://staging.app.example.com"], JsonValues.Strings(api["cors_configuration"]!["allow_origins"]));
        var stage = stack.Resource("aws_apigatewayv2_stage", "inference-api/stage");
        Assert.Equal((50, 100), (stage["default_route_settings"]!["throttling_rate_limit"]!.GetValue<int>(), stage["default_route_settings"]!["throttling_burst_limit"]!.GetValue<int>()));
        Assert.Equal(stack.Ref("aws_cloudwatch_log_group", "inference-api/access-logs/log-group", "arn"), stage["access_log_settings"]!["destination_arn"]!.GetValue<string>());
        Assert.Equal(stack.Ref("aws_kms_key", "logs-key/key", "arn"),
            stack.Resource("aws_cloudwatch_log_group", "inference-api/access-logs/log-group")["kms_key_id"]!.GetValue<string>());
        Assert.Equal("NONE", stack.Resource("aws_apigatewayv2_route", "inference-api/predict-route").String("authorization_type"));
        var fiveXx = stack.Resource("aws_cloudwatch_metric_alarm", "inference-api/alarms/5xx-rate");
        var queries = fiveXx["metric_query"]!.AsArray();
        Assert.Equal(["5xx", "Count"], queries.Where(q => q!["metric"] is not null).Select(q => q!["metric"]!["metric_name"]!.GetValue<string>()));
        Assert.All(queries.Where(q => q!["metric"] is not null), q =>
        {
            Assert.Equal("AWS/ApiGateway", q!["metric"]!["namespace"]!.GetValue<string>());
            Assert.Equal(stack.Ref("aws_apigatewayv2_api", "inference-api/api", "id"), q["metric"]!["dimensions"]!["ApiId"]!.GetValue<string>());
            Assert.Equal("$default", q["metric"]!["dimensions"]!["Stage"]!.GetValue<string>());
        });
        Assert.Equal(1.0, fiveXx["threshold"]!.GetValue<double>());
        var latency = stack.Resource("aws_cloudwatch_metric_alarm", "inference-api/alarms/latency-p95");
        Assert.Equal(("Latency", "p95", 1000.0), (latency.String("metric_name"), latency.String("extended_statistic"), latency["threshold"]!.GetValue<double>()));
        Assert.All(new[] { fiveXx, latency }, a => Assert.Equal(stack.Ref("aws_sns_topic", "alerts/topic", "arn"), a["alarm_actions"]![0]!.GetValue<string>()));
        var permission = stack.Resource("aws_lambda_permission", "inference-api/api-invokes-proxy");
        Assert.Equal($"{stack.Ref("aws_apigatewayv2_api", "inference-api/api", "execution_arn")}/*/*/predict", permission["source_arn"]!.GetValue<string>());
        Assert.Equal("444455556666", permission["source_account"]!.GetValue<string>());
        var proxy = stack.Resource("aws_lambda_function", "inference-api/proxy/function");
        Assert.Equal(("inference_proxy.handler", "Active"), (proxy["handler"]!.GetValue<string>(), proxy["tracing_config"]!["mode"]!.GetValue<string>()));
        Assert.Equal([stack.Ref("aws_sagemaker_endpoint", "endpoint-churn/endpoint", "arn")],
            JsonValues.Strings(JsonValues.BySid(stack.Statements("inference-api/proxy/role/invoke-endpoint-document"))["InvokeEndpoint"]["resources"]));
        Assert.Empty(Stack("prod").Resources("aws_apigatewayv2_api"));
    }

    [Fact]
    public void Nightly_cleanup_runs_only_in_dev_and_may_delete_only_tagged_endpoints()
    {
        var stack = Stack("dev");
        var schedule = stack.Resource("aws_scheduler_schedule", "endpoint-cleanup/schedule");
        Assert.Equal("cron(0 20 * * ? *)", schedule["schedule_expression"]!.GetValue<string>());
        Assert.Equal(stack.Ref("aws_lambda_function", "endpoint-cleanup/function/function", "arn"), schedule["target"]!["arn"]!.GetValue<string>());
        var delete = JsonValues.BySid(stack.Statements("endpoint-cleanup/function/role/delete-tagged-endpoints-document"))["DeleteOwnTaggedEndpoints"];
        Assert.Equal(["arn:aws:sagemaker:us-east-1:111122223333:endpoint/mlopstf-dev-*"], JsonValues.Strings(delete["resources"]));
        Assert.Equal(["aws:ResourceTag/Environment", "aws:ResourceTag/mlopstf:auto-cleanup"], delete["condition"]!.AsArray().Select(c => c!["variable"]!.GetValue<string>()));
        Assert.DoesNotContain(Stack("staging").Resources("aws_scheduler_schedule"), s => s["name"]!.GetValue<string>().Contains("cleanup"));
        Assert.DoesNotContain(Stack("prod").Resources("aws_scheduler_schedule"), s => s["name"]!.GetValue<string>().Contains("cleanup"));
    }

    [Fact]
    public void Invalid_endpoint_props_are_rejected()
    {
        var stack = Scratch.Stack();
        var key = Scratch.Key(stack);
        var props = new ModelEndpointProps
        {
            EndpointName = "e", Releases = [], ActiveRelease = "1", VolumeKey = key, LatencyP95Ms = 500, ErrorRatePercent = 1, Alerts = null!,
        };
        Scratch.Rejects(() => new ModelEndpoint(stack, "a", props), "ModelEndpointProps.Releases is empty");
        var model = new HashiCorp.Cdktf.Providers.Aws.SagemakerModel.SagemakerModel(stack, "m", new HashiCorp.Cdktf.Providers.Aws.SagemakerModel.SagemakerModelConfig { ExecutionRoleArn = "arn:aws:iam::111122223333:role/r" });
        var release = new EndpointRelease("1", [new EndpointVariant(new VariantSettings { Name = "v", InstanceType = "ml.m5.large", InstanceCount = 1 }, model, "1")]);
        Scratch.Rejects(() => new ModelEndpoint(stack, "b", props with { Releases = [release], ActiveRelease = "2" }), "ActiveRelease = \"2\"");
        Scratch.Rejects(() => new ModelEndpoint(stack, "c", props with { Releases = [release], Rollout = new() { CanaryPercent = 60 } }),
            "RolloutSettings.CanaryPercent = 60 for endpoint e: must be between 1 and 50");
        Scratch.Rejects(() => new ModelEndpoint(stack, "d", props with { Releases = [release], Mode = EndpointMode.Serverless, Rollout = new() }),
            "apply to real-time endpoints only");
        Scratch.Rejects(() => new ModelEndpoint(stack, "e", props with { Releases = [release], Mode = EndpointMode.Serverless, Serverless = new() { MemoryMb = 1500 } }),
            "ServerlessSettings.MemoryMb = 1500", "must be 1024, 2048, 3072, 4096, 5120 or 6144");
        Scratch.Rejects(() => new ModelEndpoint(stack, "f", props with { Releases = [release], Autoscaling = new() { MaxInstances = 2, ScaleOutCpuPercent = 0 } }),
            "AutoscalingSettings.ScaleOutCpuPercent = 0");
        Scratch.Rejects(() => new ModelEndpoint(stack, "g", props with { EndpointName = new string('e', 60), Releases = [release] }),
            "ModelEndpointProps.EndpointName", "endpoint configuration names would be 71 characters; SageMaker allows 63");
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Configuration_name_length_is_that_of_the_synthesized_names(string env)
    {
        var stack = Stack(env);
        var configurations = stack.Resources("aws_sagemaker_endpoint_configuration").ToList();
        Assert.NotEmpty(configurations);
        foreach (var configuration in configurations)
        {
            var path = configuration.Path.Split('/');
            var (endpoint, label) = (path[^2]["endpoint-".Length..], path[^1]["configuration-".Length..]);
            var name = configuration["name"]!.GetValue<string>();
            Assert.Equal(name.Length, ModelEndpoint.ConfigurationNameLength($"mlopstf-{env}", endpoint, label));
        }
    }

    [Fact]
    public void A_network_isolation_waiver_turns_isolation_off_and_is_recorded_for_the_policy_report()
    {
        var outdir = Directory.CreateTempSubdirectory("mlopstf-waiver-").FullName;
        var app = new HashiCorp.Cdktf.App(new HashiCorp.Cdktf.AppConfig { Outdir = outdir });
        var stack = Scratch.Stack(app: app);
        new HashiCorp.Cdktf.Providers.Aws.Provider.AwsProvider(stack, "aws", new HashiCorp.Cdktf.Providers.Aws.Provider.AwsProviderConfig { Region = "us-east-1" });
        var key = Scratch.Key(stack);
        var logs = new MlopsTf.Constructs.Storage.SecureBucket(stack, "logs", new() { BucketName = "logs-b", UseS3ManagedEncryptionForLogDelivery = true, ReceivesAccessLogs = true });
        var models = new MlopsTf.Constructs.Storage.SecureBucket(stack, "models", new() { BucketName = "models-b", EncryptionKey = key, AccessLogBucket = logs });
        var repo = new MlopsTf.Constructs.Ecr.ContainerRepository(stack, "repo", new() { RepositoryName = "r", EncryptionKey = key });
        var role = new MlopsTf.Constructs.Security.ServiceRole(stack, "role", new() { RoleName = "r", Service = "sagemaker.amazonaws.com", Description = "d" });
        new DeployableModel(stack, "model", new DeployableModelProps
        {
            ModelName = "m", Versions = [new("1.0.0", "1.0.0", "m/1.0.0/model.tar.gz")], Repository = repo, ModelsBucket = models,
            ExecutionRole = role, SubnetIds = ["subnet-1"], SecurityGroupId = "sg-1", NetworkIsolationWaiver = "calls the partner scoring API",
        });
        app.Synth();
        var json = new StackDocument("scratch", JsonNode.Parse(File.ReadAllText(Path.Combine(outdir, "stacks", "scratch", "cdk.tf.json")))!.AsObject());
        var model = json.Resource("aws_sagemaker_model", "model/version-1.0.0");
        Assert.False(model["enable_network_isolation"]!.GetValue<bool>());
        var result = PolicyPack.Evaluate(json);
        Assert.DoesNotContain(result.Findings, f => f.RuleId == "MLOPSTF-SM-003");
        Assert.Contains(result.Waived, w => w.Finding.RuleId == "MLOPSTF-SM-003" && w.Reason == "calls the partner scoring API");
    }
}
