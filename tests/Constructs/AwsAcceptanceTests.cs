namespace MlopsTf.Tests.Constructs;

/// <summary>
/// What AWS would refuse or what would break at run time although validate, the policy pack and the stand-in accept
/// it: each test pins one such defect as fixed in the synthesized JSON.
/// </summary>
[Collection(JsiiCollection.Name)]
public class AwsAcceptanceTests
{
    private static StackDocument Stack(string env) => SynthesizedApp.Instance.Document(env);

    private static JsonObject Definition(string env) =>
        TerraformValues.ParseEmbedded(Stack(env).Resource("aws_sfn_state_machine", "training-pipeline/state-machine")["definition"]!.GetValue<string>())!.AsObject();

    [Fact]
    public void Models_of_the_serverless_dev_endpoint_have_no_vpc_and_no_network_isolation_and_say_why()
    {
        var stack = Stack("dev");
        foreach (var version in new[] { "1.0.0", "1.1.0" })
        {
            var model = stack.Resource("aws_sagemaker_model", $"model-churn/version-{version}");
            Assert.Null(model["vpc_config"]);
            Assert.False(model["enable_network_isolation"]!.GetValue<bool>());
            Assert.Equal(DeployableModel.ServerlessIsolation, model["//"]![Waivers.Key]!["MLOPSTF-SM-003"]!.GetValue<string>());
            Assert.Equal($"mlopstf-dev-churn-{version.Replace('.', '-')}-{DeployableModel.ShortHash(version, $"churn/{version}/model.tar.gz", "serverless")}",
                model["name"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Serverless_endpoint_configurations_encrypt_with_the_models_key()
    {
        var stack = Stack("dev");
        var configs = stack.Resources("aws_sagemaker_endpoint_configuration", "endpoint-churn/").ToList();
        Assert.Equal(2, configs.Count);
        Assert.All(configs, c =>
        {
            Assert.NotNull(c["production_variants"]![0]!["serverless_config"]);
            Assert.Equal(stack.Ref("aws_kms_key", "models-key/key", "arn"), c["kms_key_arn"]?.GetValue<string>());
        });
    }

    [Fact]
    public void A_serverless_configuration_without_a_key_is_a_policy_finding()
    {
        var stack = new StackDocument("dev", JsonNode.Parse(SynthesizedApp.Instance.StackText("dev"))!.AsObject());
        stack.Resource("aws_sagemaker_endpoint_configuration", "endpoint-churn/configuration-1.1.0").Body.Remove("kms_key_arn");
        var findings = PolicyPack.Evaluate(stack).Findings.Where(f => f.RuleId == "MLOPSTF-SM-002").ToList();
        Assert.Single(findings);
        Assert.EndsWith("endpoint-churn/configuration-1.1.0", findings[0].Path);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void The_training_job_declares_the_gate_metric_and_receives_every_configured_channel(string env)
    {
        var stack = Stack(env);
        var config = Platform.Environments.Single(e => e.Name == env).Ml.Pipeline;
        var train = Definition(env)["States"]!["Train"]!["Parameters"]!;
        var metrics = train["AlgorithmSpecification"]!["MetricDefinitions"]!.AsArray();
        var gate = metrics.Single(m => m!["Name"]!.GetValue<string>() == config.EvaluationMetric)!;
        Assert.Matches(gate["Regex"]!.GetValue<string>(), $"[0]#011{config.EvaluationMetric}=0.8731");
        Assert.Equal("0.8731", System.Text.RegularExpressions.Regex.Match($"{config.EvaluationMetric}=0.8731", gate["Regex"]!.GetValue<string>()).Groups[1].Value);

        var bucket = stack.Ref("aws_s3_bucket", "data-bucket/bucket", "bucket");
        var channels = train["InputDataConfig"]!.AsArray().ToDictionary(c => c!["ChannelName"]!.GetValue<string>(), c => c!["DataSource"]!["S3DataSource"]!["S3Uri"]!.GetValue<string>());
        Assert.Equal(config.Channels.ToDictionary(c => c.Channel, c => $"s3://{bucket}/processed/split={c.Channel}/"), channels);
        Assert.Contains(config.EvaluationMetric.Split(':')[0], channels.Keys);

        // The preprocessing job writes exactly those channels, with the configured shares.
        var job = stack.Resource("aws_glue_job", "data-preparation/job");
        Assert.Equal(string.Join(",", config.Channels.Select(c => $"{c.Channel}:{c.Percent}")), JsonExpression.Decode(job.String("default_arguments"))!["--SPLITS"]!.GetValue<string>());
        Assert.Equal("customer_id", JsonExpression.Decode(job.String("default_arguments"))!["--SPLIT_COLUMN"]!.GetValue<string>());
        Assert.Equal(config.EvaluationMetric, stack.Resource("aws_lambda_function", "model-evaluation/function")["environment"]!["variables"]!["METRIC_NAME"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Registered_packages_name_the_inference_image_not_the_training_image(string env)
    {
        var stack = Stack(env);
        var containers = Definition(env)["States"]!["RegisterModel"]!["Parameters"]!["InferenceSpecification"]!["Containers"]!.AsArray();
        Assert.Equal($"{stack.Ref("aws_ecr_repository", "inference-repository/repository", "repository_url")}:1.0.0",
            Assert.Single(containers)!["Image"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Every_image_a_model_or_the_pipeline_uses_has_a_lifecycle_rule_that_never_expires_it(string env)
    {
        var stack = Stack(env);
        var rules = JsonNode.Parse(stack.Resource("aws_ecr_lifecycle_policy", "inference-repository/lifecycle")["policy"]!.GetValue<string>())!["rules"]!.AsArray();
        var firstExpiring = rules.Where(r => r!["selection"]!["tagStatus"]!.GetValue<string>() != "tagged").Min(r => r!["rulePriority"]!.GetValue<int>());
        var url = stack.Ref("aws_ecr_repository", "inference-repository/repository", "repository_url");
        var tags = stack.Resources("aws_sagemaker_model").Select(m => m["primary_container"]!["image"]!.GetValue<string>())
            .Where(i => i.StartsWith(url + ":", StringComparison.Ordinal)).Select(i => i[(url.Length + 1)..]).Distinct().ToList();
        Assert.NotEmpty(tags);
        foreach (var tag in tags)
        {
            var rule = Assert.Single(rules, r => r!["selection"]!["tagPatternList"]?.AsArray().Select(p => p!.GetValue<string>()).SequenceEqual([tag]) == true)!;
            Assert.True(rule["rulePriority"]!.GetValue<int>() < firstExpiring, $"{tag} is protected before any rule that expires images");
            Assert.Equal(("imageCountMoreThan", 1), (rule["selection"]!["countType"]!.GetValue<string>(), rule["selection"]!["countNumber"]!.GetValue<int>()));
        }
    }

    [Fact]
    public void The_registry_account_shares_exactly_what_a_deploying_account_copies()
    {
        var dev = Stack("dev");
        string[] readers = ["arn:aws:iam::444455556666:root", "arn:aws:iam::777788889999:root"];

        var bucket = JsonValues.BySid(dev.Statements("models-bucket/policy-document"))["ReadRegisteredArtifactsFromDeployAccounts"];
        Assert.Equal(readers, JsonValues.Strings(bucket["principals"]![0]!["identifiers"]));
        Assert.Equal(["s3:GetObject", "s3:GetObjectVersion"], JsonValues.Strings(bucket["actions"]));
        Assert.Equal(["arn:aws:s3:::mlopstf-dev-models-111122223333/training-output/*"], JsonValues.Strings(bucket["resources"]));

        var key = JsonValues.BySid(dev.Statements("models-key/policy"))["DecryptRegisteredArtifactsForDeployAccounts"];
        Assert.Equal(readers, JsonValues.Strings(key["principals"]![0]!["identifiers"]));
        Assert.Equal(["kms:Decrypt"], JsonValues.Strings(key["actions"]));
        var conditions = key["condition"]!.AsArray().ToDictionary(c => c!["variable"]!.GetValue<string>(), c => JsonValues.Strings(c!["values"]).Single());
        Assert.Equal("s3.us-east-1.amazonaws.com", conditions["kms:ViaService"]);
        Assert.Equal("arn:aws:s3:::mlopstf-dev-models-111122223333", conditions["kms:EncryptionContext:aws:s3:arn"]);

        var pull = JsonValues.BySid(dev.Statements("inference-repository/cross-account-pull-document"))["PullFromDeployAccounts"];
        Assert.Equal(readers, JsonValues.Strings(pull["principals"]![0]!["identifiers"]));
        Assert.Equal(["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"], JsonValues.Strings(pull["actions"]));
        Assert.Empty(dev.Resources("aws_ecr_repository_policy", "training-repository"));
        Assert.Empty(dev.Resources("aws_iam_role", "model-promotion/"));
    }

    [Theory]
    [InlineData("staging", "444455556666")]
    [InlineData("prod", "777788889999")]
    public void A_deploying_account_has_a_promotion_role_that_reads_the_registry_side_and_writes_its_own(string env, string account)
    {
        var stack = Stack(env);
        var role = stack.Resource("aws_iam_role", "model-promotion/role/role");
        Assert.Equal($"mlopstf-{env}-model-promotion", role["name"]!.GetValue<string>());
        var trust = stack.Statements("model-promotion/role/trust")[0]!;
        Assert.Equal([$"arn:aws:iam::{account}:role/mlopstf-{env}-github-apply"], JsonValues.Strings(trust["principals"]![0]!["identifiers"]));

        var read = JsonValues.BySid(stack.Statements("model-promotion/role/read-source-registry-document"));
        Assert.Equal(["arn:aws:s3:::mlopstf-dev-models-111122223333/training-output/*"], JsonValues.Strings(read["ReadSourceArtifacts"]["resources"]));
        Assert.Equal(["arn:aws:ecr:us-east-1:111122223333:repository/mlopstf-dev/inference"], JsonValues.Strings(read["PullSourceImages"]["resources"]));
        Assert.Equal(["arn:aws:sagemaker:us-east-1:111122223333:model-package/mlopstf-dev-*/*"], JsonValues.Strings(read["ReadSourcePackages"]["resources"]));
        var decrypt = read["DecryptSourceArtifactsThroughS3"];
        Assert.Equal(["kms:Decrypt"], JsonValues.Strings(decrypt["actions"]));
        Assert.Contains(decrypt["condition"]!.AsArray(), c => c!["variable"]!.GetValue<string>() == "kms:ViaService");

        var write = JsonValues.BySid(stack.Statements("model-promotion/role/read-write-models-bucket-churn-document"));
        Assert.Equal([$"{stack.Ref("aws_s3_bucket", "models-bucket/bucket", "arn")}/churn/*"], JsonValues.Strings(write["ReadWriteObjects"]["resources"]));
        var push = JsonValues.BySid(stack.Statements("model-promotion/role/push-inference-repository-document"));
        Assert.Equal([stack.Ref("aws_ecr_repository", "inference-repository/repository", "arn")], JsonValues.Strings(push["PushImages"]["resources"]));
    }

    [Fact]
    public void Cpu_alarms_compare_the_instance_share_and_capacity_is_derived_from_the_invocation_metrics()
    {
        var stack = Stack("prod");
        var cpu = stack.Resource("aws_cloudwatch_metric_alarm", "endpoint-churn/primary-autoscaling/cpu-high");
        var vcpus = InstanceTypes.Get("ml.m5.xlarge").Vcpus;
        Assert.Equal(4, vcpus);
        var queries = cpu["metric_query"]!.AsArray();
        Assert.Equal("CPUUtilization", queries.Single(q => q!["id"]!.GetValue<string>() == "cpu")!["metric"]!["metric_name"]!.GetValue<string>());
        Assert.Equal($"cpu / {vcpus}", queries.Single(q => q!["return_data"]!.GetValue<bool>())!["expression"]!.GetValue<string>());
        Assert.Equal(70, cpu["threshold"]!.GetValue<int>());

        var max = stack.Resource("aws_cloudwatch_metric_alarm", "endpoint-churn/primary-autoscaling/at-max-capacity");
        var metrics = max["metric_query"]!.AsArray().Where(q => q!["metric"] is not null).Select(q => q!["metric"]!["metric_name"]!.GetValue<string>()).Order();
        Assert.Equal(["Invocations", "InvocationsPerInstance"], metrics);
        Assert.Equal("IF(per_instance > 0, invocations / per_instance, 0)", max["metric_query"]!.AsArray().Single(q => q!["return_data"]!.GetValue<bool>())!["expression"]!.GetValue<string>());
        Assert.Equal(6, max["threshold"]!.GetValue<int>());
    }

    [Fact]
    public void Every_endpoint_alarm_sets_its_missing_data_treatment_and_says_why()
    {
        foreach (var env in new[] { "dev", "staging", "prod" })
        {
            foreach (var alarm in Stack(env).Resources("aws_cloudwatch_metric_alarm", "/endpoint-churn"))
            {
                var treatment = alarm["treat_missing_data"]!.GetValue<string>();
                Assert.Matches($@"Missing data: {treatment} \(.+\)$", alarm["alarm_description"]!.GetValue<string>());
            }
        }
        var quiet = Stack("prod").Resource("aws_cloudwatch_metric_alarm", "endpoint-churn/alarms/primary-no-invocations");
        Assert.Equal("breaching", quiet["treat_missing_data"]!.GetValue<string>());
    }

    [Fact]
    public void Only_endpoints_that_expect_traffic_around_the_clock_alarm_on_silence_and_serverless_ones_skip_unpublished_metrics()
    {
        Assert.Empty(Stack("staging").Resources("aws_cloudwatch_metric_alarm", "no-invocations"));
        Assert.Empty(Stack("dev").Resources("aws_cloudwatch_metric_alarm", "no-invocations"));
        Assert.Empty(Stack("dev").Resources("aws_cloudwatch_metric_alarm", "model-error-rate"));
        Assert.Single(Stack("prod").Resources("aws_cloudwatch_metric_alarm", "no-invocations"));
    }
}

[Collection(JsiiCollection.Name)]
public class MixedHostingTests
{
    [Fact]
    public void A_model_served_both_serverless_and_on_instances_gets_a_model_set_for_each()
    {
        var churn = Staging.Config.Serving.Endpoints[0];
        var config = Staging.Config with
        {
            Serving = Staging.Config.Serving with
            {
                Endpoints =
                [
                    .. Staging.Config.Serving.Endpoints,
                    new EndpointSpec { Name = "churn-sl", Model = "churn", ActiveVersion = "1.1.0", Mode = EndpointMode.Serverless, Serverless = new() { MemoryMb = 2048, MaxConcurrency = 5 } },
                ],
            },
        };
        Assert.Empty(EnvironmentValidator.Validate([config]));
        var outdir = Path.Combine(Path.GetTempPath(), $"mlopstf-mixed-{Environment.ProcessId}");
        var app = new HashiCorp.Cdktf.App(new HashiCorp.Cdktf.AppConfig { Outdir = outdir, StackTraces = false });
        new MlopsStack(app, config, []);
        app.Synth();
        var stack = new StackDocument("staging", JsonNode.Parse(File.ReadAllText(Path.Combine(outdir, "stacks", "staging", "cdk.tf.json")))!.AsObject());

        var instanceModel = stack.Resource("aws_sagemaker_model", "model-churn/version-1.1.0");
        var serverlessModel = stack.Resource("aws_sagemaker_model", "model-churn-serverless/version-1.1.0");
        Assert.NotNull(instanceModel["vpc_config"]);
        Assert.True(instanceModel["enable_network_isolation"]!.GetValue<bool>());
        Assert.Null(serverlessModel["vpc_config"]);
        Assert.NotEqual(instanceModel["name"]!.GetValue<string>(), serverlessModel["name"]!.GetValue<string>());
        var serverlessConfig = stack.Resource("aws_sagemaker_endpoint_configuration", "endpoint-churn-sl/configuration-1.1.0");
        Assert.Equal(stack.Ref("aws_sagemaker_model", "model-churn-serverless/version-1.1.0", "name"),
            serverlessConfig["production_variants"]![0]!["model_name"]!.GetValue<string>());
        var instanceConfig = stack.Resource("aws_sagemaker_endpoint_configuration", $"endpoint-{churn.Name}/configuration-1.1.0");
        Assert.Equal(stack.Ref("aws_sagemaker_model", "model-churn/version-1.1.0", "name"),
            instanceConfig["production_variants"]![0]!["model_name"]!.GetValue<string>());
    }
}
