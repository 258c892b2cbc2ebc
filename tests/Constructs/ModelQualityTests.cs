namespace MlopsTf.Tests.Constructs;

[Collection(JsiiCollection.Name)]
public class ModelQualityTests
{
    private static StackDocument Stack(string env) => SynthesizedApp.Instance.Document(env);

    private static JsonObject Template(StackDocument stack) =>
        JsonExpression.Decode(stack.Resource("aws_cloudformation_stack", "model-quality-churn/stack")["template_body"]!.GetValue<string>())!.AsObject();

    private static ModelQualitySettings Valid => new() { InstanceType = "ml.m5.large", Threshold = 0.7 };

    [Theory]
    [InlineData("staging", 0.7)]
    [InlineData("prod", 0.75)]
    public void The_job_merges_captured_predictions_with_ground_truth_encrypted_in_the_vpc(string env, double threshold)
    {
        var stack = Stack(env);
        var template = Template(stack);
        var job = template["Resources"]!["JobDefinition"]!;
        Assert.Equal("AWS::SageMaker::ModelQualityJobDefinition", job["Type"]!.GetValue<string>());
        var p = job["Properties"]!;
        var name = p["JobDefinitionName"]!.GetValue<string>();
        Assert.Matches($"^mlopstf-{env}-churn-model-quality-[0-9a-f]{{6}}$", name);
        Assert.True(name.Length <= 63, name);
        Assert.Equal(stack.Ref("aws_iam_role", "sagemaker-execution-role/role", "arn"), p["RoleArn"]!.GetValue<string>());
        Assert.Equal("BinaryClassification", p["ModelQualityAppSpecification"]!["ProblemType"]!.GetValue<string>());
        Assert.Equal("Enabled", p["ModelQualityAppSpecification"]!["Environment"]!["publish_cloudwatch_metrics"]!.GetValue<string>());
        var input = p["ModelQualityJobInput"]!;
        Assert.Equal(stack.Ref("aws_sagemaker_endpoint", "endpoint-churn/endpoint", "name"), input["EndpointInput"]!["EndpointName"]!.GetValue<string>());
        Assert.Equal(("0", 0.5), (input["EndpointInput"]!["ProbabilityAttribute"]!.GetValue<string>(), input["EndpointInput"]!["ProbabilityThresholdAttribute"]!.GetValue<double>()));
        Assert.Equal(("-P2D", "-P1D"), (input["EndpointInput"]!["StartTimeOffset"]!.GetValue<string>(), input["EndpointInput"]!["EndTimeOffset"]!.GetValue<string>()));
        var data = stack.Ref("aws_s3_bucket", "data-bucket/bucket", "bucket");
        Assert.Equal($"s3://{data}/ground-truth/mlopstf-{env}-churn/", input["GroundTruthS3Input"]!["S3Uri"]!.GetValue<string>());
        var key = stack.Ref("aws_kms_key", "data-key/key", "arn");
        Assert.Equal(key, p["ModelQualityJobOutputConfig"]!["KmsKeyId"]!.GetValue<string>());
        Assert.Equal(key, p["JobResources"]!["ClusterConfig"]!["VolumeKmsKeyId"]!.GetValue<string>());
        Assert.True(p["NetworkConfig"]!["EnableInterContainerTrafficEncryption"]!.GetValue<bool>());
        Assert.True(p["NetworkConfig"]!["EnableNetworkIsolation"]!.GetValue<bool>());
        Assert.NotEmpty(p["NetworkConfig"]!["VpcConfig"]!["Subnets"]!.AsArray());
        Assert.Equal(1800, p["StoppingCondition"]!["MaxRuntimeInSeconds"]!.GetValue<int>());

        var schedule = template["Resources"]!["Schedule"]!;
        Assert.Equal(("AWS::SageMaker::MonitoringSchedule", "JobDefinition"), (schedule["Type"]!.GetValue<string>(), schedule["DependsOn"]!.GetValue<string>()));
        var config = schedule["Properties"]!["MonitoringScheduleConfig"]!;
        Assert.Equal((name, "ModelQuality", "cron(0 * ? * * *)"),
            (config["MonitoringJobDefinitionName"]!.GetValue<string>(), config["MonitoringType"]!.GetValue<string>(), config["ScheduleConfig"]!["ScheduleExpression"]!.GetValue<string>()));

        var alarm = stack.Resource("aws_cloudwatch_metric_alarm", "model-quality-churn/quality-alarm");
        Assert.Equal(("aws/sagemaker/Endpoints/model-metrics", "auc", threshold, "LessThanThreshold"),
            (alarm["namespace"]!.GetValue<string>(), alarm["metric_name"]!.GetValue<string>(), alarm["threshold"]!.GetValue<double>(), alarm["comparison_operator"]!.GetValue<string>()));
        Assert.Equal(new Dictionary<string, string> { ["Endpoint"] = $"mlopstf-{env}-churn", ["MonitoringSchedule"] = $"mlopstf-{env}-churn-model-quality" },
            alarm["dimensions"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>()));
        Assert.Equal(schedule["Properties"]!["MonitoringScheduleName"]!.GetValue<string>(), alarm["dimensions"]!["MonitoringSchedule"]!.GetValue<string>());
        Assert.Equal("notBreaching", alarm["treat_missing_data"]!.GetValue<string>());

        var pattern = TerraformValues.ParseEmbedded(stack.Resource("aws_cloudwatch_event_rule", "model-quality-churn/retrain-on-quality")["event_pattern"]!.GetValue<string>())!;
        Assert.Equal([stack.Ref("aws_cloudwatch_metric_alarm", "model-quality-churn/quality-alarm", "arn")], JsonValues.Strings(pattern["resources"]));
        Assert.Equal(["ALARM"], JsonValues.Strings(pattern["detail"]!["state"]!["value"]));
        Assert.Equal(stack.Ref("aws_sfn_state_machine", "training-pipeline/state-machine", "arn"),
            stack.Resource("aws_cloudwatch_event_target", "model-quality-churn/retrain-target")["arn"]!.GetValue<string>());
        Assert.Equal($"s3://{data}/ground-truth/mlopstf-{env}-churn/",
            stack.Json["output"]!["ground_truth_uris"]!["value"]!["churn"]!.GetValue<string>());
    }

    [Fact]
    public void Dev_s_serverless_endpoint_has_no_quality_monitor() =>
        Assert.Empty(Stack("dev").Resources("aws_cloudformation_stack"));

    [Fact]
    public void A_changed_setting_names_a_new_job_definition_and_nothing_else_does()
    {
        Assert.Equal(Valid.Shape, (Valid with { Threshold = 0.2, Metric = "f1", StartsRetraining = false }).Shape);
        Assert.NotEqual(Valid.Shape, (Valid with { EndTimeOffset = "-PT12H" }).Shape);
        Assert.NotEqual(Valid.Shape, (Valid with { InstanceType = "ml.m5.xlarge" }).Shape);
    }

    [Theory]
    [InlineData("metric", "Metric", "use one of accuracy")]
    [InlineData("no-attribute", "InferenceAttribute", "a binary classifier needs")]
    [InlineData("threshold", "ProbabilityThreshold", "above 0 and below 1")]
    [InlineData("regression-probability", "ProbabilityAttribute", "binary classification only")]
    [InlineData("offset-format", "StartTimeOffset", "negative ISO 8601")]
    [InlineData("offset-order", "StartTimeOffset", "further back than EndTimeOffset")]
    [InlineData("runtime", "MaxRuntimeSeconds", "hourly schedule")]
    public void Settings_sagemaker_would_refuse_are_named(string kind, string field, string fragment)
    {
        var settings = kind switch
        {
            "metric" => Valid with { Metric = "rmse" },
            "no-attribute" => Valid with { ProbabilityAttribute = null },
            "threshold" => Valid with { ProbabilityThreshold = 1.5 },
            "regression-probability" => Valid with { ProblemType = ModelProblemType.Regression, Metric = "rmse", InferenceAttribute = "0" },
            "offset-format" => Valid with { StartTimeOffset = "P2D" },
            "offset-order" => Valid with { StartTimeOffset = "-PT12H" },
            _ => Valid with { MaxRuntimeSeconds = 3600 },
        };
        var problem = Assert.Single(settings.Problems());
        Assert.Equal(field, problem.Field);
        Assert.Contains(fragment, $"{problem.Problem}; {problem.Fix}");
    }

    [Fact]
    public void Error_metrics_alarm_on_a_rise()
    {
        Assert.True(ModelQualityMetric.RiseIsWorse("rmse"));
        Assert.False(ModelQualityMetric.RiseIsWorse("auc"));
        Assert.Empty((Valid with { ProblemType = ModelProblemType.Regression, Metric = "rmse", InferenceAttribute = "0", ProbabilityAttribute = null, ProbabilityThreshold = null, Schedule = "cron(0 0 * * ? *)", MaxRuntimeSeconds = 7200 }).Problems());
    }

    [Fact]
    public void The_configuration_refuses_quality_monitoring_of_a_serverless_endpoint_and_a_disallowed_instance()
    {
        var dev = Dev.Config with { Serving = Dev.Config.Serving with { Endpoints = [Dev.Config.Serving.Endpoints[0] with { ModelQuality = Valid }] } };
        var error = Assert.Single(EnvironmentValidator.Validate([dev]));
        Assert.Equal(("Serving.Endpoints[churn].ModelQuality", "serverless"), (error.Field, error.Problem.Contains("serverless") ? "serverless" : error.Problem));
        var churn = Staging.Config.Serving.Endpoints[0];
        var staging = Staging.Config with
        {
            Serving = Staging.Config.Serving with { Endpoints = [churn with { ModelQuality = Valid with { InstanceType = "ml.p3.2xlarge", Schedule = "rate(1 hour)" } }, .. Staging.Config.Serving.Endpoints.Skip(1)] },
        };
        Assert.Equal(["Serving.Endpoints[churn].ModelQuality.InstanceType", "Serving.Endpoints[churn].ModelQuality.Schedule"],
            EnvironmentValidator.Validate([staging]).Select(e => e.Field));
    }

    [Fact]
    public void The_encryption_rule_reads_the_job_definition_inside_the_cloudformation_template()
    {
        var rule = new MlopsTf.Constructs.Policies.Rules.MonitoringJobEncryptionRule();
        var shipped = new StackDocument("prod", JsonNode.Parse(SynthesizedApp.Instance.StackText("prod"))!.AsObject());
        Assert.Empty(rule.Evaluate(shipped));
        var broken = new StackDocument("prod", JsonNode.Parse(SynthesizedApp.Instance.StackText("prod"))!.AsObject());
        var body = broken.Resource("aws_cloudformation_stack", "model-quality-churn/stack").Body;
        var text = body["template_body"]!.GetValue<string>();
        Assert.Contains("\"EnableInterContainerTrafficEncryption\"", text);
        body["template_body"] = text.Replace("\"KmsKeyId\"", "\"NoKey\"").Replace("\"EnableInterContainerTrafficEncryption\"", "\"Off\"");
        var problems = rule.Evaluate(broken).Select(f => (f.Path, f.Problem)).ToList();
        Assert.Equal(2, problems.Count);
        Assert.All(problems, f => Assert.EndsWith("model-quality-churn/stack", f.Path));
        Assert.Contains(problems, f => f.Problem == "JobDefinition (AWS::SageMaker::ModelQualityJobDefinition): monitoring outputs are not encrypted with KMS");
        Assert.Contains(problems, f => f.Problem == "JobDefinition (AWS::SageMaker::ModelQualityJobDefinition): inter-container traffic is not encrypted");
    }
}
