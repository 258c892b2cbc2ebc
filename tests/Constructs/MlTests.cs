using MlopsTf.Constructs.StepFunctions;

namespace MlopsTf.Tests.Constructs;

/// <summary>SageMaker domain, registry, feature store, and the training pipeline.</summary>
[Collection(JsiiCollection.Name)]
public class MlTests
{
    private static StackDocument Stack(string env) => SynthesizedApp.Instance.Document(env);

    [Theory]
    [InlineData("dev", "Delete")]
    [InlineData("prod", "Retain")]
    public void Domain_is_iam_vpc_only_kms_in_private_subnets_with_retention_per_environment(string env, string retention)
    {
        var stack = Stack(env);
        var domain = stack.Resource("aws_sagemaker_domain", "studio/domain");
        Assert.Equal(("IAM", "VpcOnly"), (domain["auth_mode"]!.GetValue<string>(), domain["app_network_access_type"]!.GetValue<string>()));
        Assert.Equal(stack.Ref("aws_kms_key", "data-key/key", "arn"), domain["kms_key_id"]!.GetValue<string>());
        Assert.Equal(retention, domain["retention_policy"]!["home_efs_file_system"]!.GetValue<string>());
        Assert.Equal([stack.Ref("aws_security_group", "network/sagemaker-security-group", "id")], JsonValues.Strings(domain["default_user_settings"]!["security_groups"]));
        Assert.Equal(stack.Ref("aws_iam_role", "sagemaker-execution-role/role", "arn"), domain["default_user_settings"]!["execution_role"]!.GetValue<string>());
    }

    [Fact]
    public void User_profiles_come_from_configuration()
    {
        Assert.Equal(["data-scientist"], Stack("dev").Resources("aws_sagemaker_user_profile").Select(u => u["user_profile_name"]!.GetValue<string>()));
        Assert.Empty(Stack("prod").Resources("aws_sagemaker_user_profile"));
    }

    [Fact]
    public void Registry_in_dev_lets_staging_and_prod_accounts_read_and_others_have_no_policy()
    {
        var stack = Stack("dev");
        Assert.Equal("mlopstf-dev-churn", stack.Resource("aws_sagemaker_model_package_group", "model-registry/group-churn")["model_package_group_name"]!.GetValue<string>());
        var statements = JsonValues.BySid(stack.Statements("model-registry/group-churn-policy-document"));
        Assert.Equal(["arn:aws:iam::444455556666:root", "arn:aws:iam::777788889999:root"], JsonValues.Strings(statements["ReadPackagesFromDeployAccounts"]["principals"]![0]!["identifiers"]));
        Assert.Equal(["sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"], JsonValues.Strings(statements["ReadPackagesFromDeployAccounts"]["actions"]));
        Assert.Equal(["sagemaker:DescribeModelPackageGroup"], JsonValues.Strings(statements["ReadGroupFromDeployAccounts"]["actions"]));
        Assert.Empty(Stack("staging").Resources("aws_sagemaker_model_package_group_policy"));
        Assert.Empty(Stack("prod").Resources("aws_sagemaker_model_package_group_policy"));
    }

    [Fact]
    public void Feature_groups_encrypt_online_and_offline_stores_into_the_data_bucket()
    {
        var stack = Stack("staging");
        var fg = stack.Resource("aws_sagemaker_feature_group", "feature-store/group-customer-activity");
        Assert.Equal(("customer_id", "event_time"), (fg["record_identifier_feature_name"]!.GetValue<string>(), fg["event_time_feature_name"]!.GetValue<string>()));
        Assert.Equal(5, fg["feature_definition"]!.AsArray().Count);
        var key = stack.Ref("aws_kms_key", "data-key/key", "arn");
        Assert.Equal(key, fg["online_store_config"]!["security_config"]!["kms_key_id"]!.GetValue<string>());
        Assert.Equal(key, fg["offline_store_config"]!["s3_storage_config"]!["kms_key_id"]!.GetValue<string>());
        Assert.Equal($"s3://{stack.Ref("aws_s3_bucket", "data-bucket/bucket", "bucket")}/feature-store/", fg["offline_store_config"]!["s3_storage_config"]!["s3_uri"]!.GetValue<string>());
        Assert.False(fg["offline_store_config"]!["disable_glue_table_creation"]!.GetValue<bool>());
    }

    [Fact]
    public void Feature_group_spec_must_include_identifier_and_event_time()
    {
        var stack = Scratch.Stack();
        Scratch.Rejects(() => new FeatureStore(stack, "fs", new FeatureStoreProps
        {
            EncryptionKey = Scratch.Key(stack),
            OfflineBucket = null!, Groups = [new FeatureGroupSpec("g", "id", "time", [("id", "String")], true)],
        }), "FeatureGroupSpec \"g\"", "EventTime \"time\"");
    }

    private static (JsonNode Definition, StackResource Machine) Pipeline(string env)
    {
        var machine = Stack(env).Resource("aws_sfn_state_machine", "training-pipeline/state-machine");
        return (TerraformValues.ParseEmbedded(machine["definition"]!.GetValue<string>())!, machine);
    }

    [Fact]
    public void Pipeline_runs_validate_preprocess_train_evaluate_choice_register_notify()
    {
        var (definition, machine) = Pipeline("dev");
        var states = definition["States"]!.AsObject();
        Assert.Equal("ValidateData", definition["StartAt"]!.GetValue<string>());
        var path = new List<string>();
        for (var name = "ValidateData"; name is not null;)
        {
            path.Add(name);
            var state = states[name]!;
            name = state["Type"]!.GetValue<string>() == "Choice" ? state["Choices"]![0]!["Next"]!.GetValue<string>() : state["Next"]?.GetValue<string>();
        }
        Assert.Equal(["ValidateData", "Preprocess", "Train", "Evaluate", "MeetsThreshold", "RegisterModel", "CreateBatchModel", "BatchTransform", "DeleteBatchModel", "NotifyRegistered"], path);
        Assert.Equal("arn:aws:states:::glue:startJobRun.sync", states["Preprocess"]!["Resource"]!.GetValue<string>());
        Assert.Equal("arn:aws:states:::sagemaker:createTrainingJob.sync", states["Train"]!["Resource"]!.GetValue<string>());
        Assert.Equal("PendingManualApproval", states["RegisterModel"]!["Parameters"]!["ModelApprovalStatus"]!.GetValue<string>());
        Assert.Equal(Stack("dev").Ref("aws_sns_topic", "alerts/topic", "arn"), states["NotifyRegistered"]!["Parameters"]!["TopicArn"]!.GetValue<string>());
        Assert.Equal("STANDARD", machine["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("dev", 0.75)]
    [InlineData("prod", 0.8)]
    public void Choice_compares_the_metric_with_the_configured_threshold(string env, double threshold)
    {
        var choice = Pipeline(env).Definition["States"]!["MeetsThreshold"]!;
        Assert.Equal("$.evaluation.metric_value", choice["Choices"]![0]!["Variable"]!.GetValue<string>());
        Assert.Equal(threshold, choice["Choices"]![0]!["NumericGreaterThanEquals"]!.GetValue<double>());
        Assert.Equal("NotifyRejected", choice["Default"]!.GetValue<string>());
    }

    [Fact]
    public void Every_work_task_retries_with_backoff_and_catches_into_a_failure_notification()
    {
        var states = Pipeline("dev").Definition["States"]!.AsObject();
        foreach (var name in new[] { "ValidateData", "Preprocess", "Train", "Evaluate", "RegisterModel" })
        {
            var retry = states[name]!["Retry"]!.AsArray();
            Assert.All(retry, r => Assert.True(r!["BackoffRate"]!.GetValue<double>() > 1, $"{name} backs off"));
            Assert.Equal("NotifyFailure", states[name]!["Catch"]![0]!["Next"]!.GetValue<string>());
            Assert.Equal(["States.ALL"], JsonValues.Strings(states[name]!["Catch"]![0]!["ErrorEquals"]));
        }
        Assert.Equal("PipelineFailed", states["NotifyFailure"]!["Next"]!.GetValue<string>());
        Assert.Equal("Fail", states["PipelineFailed"]!["Type"]!.GetValue<string>());
    }

    [Fact]
    public void Training_runs_in_the_vpc_isolated_with_kms_on_volume_and_output_and_instance_from_configuration()
    {
        var stack = Stack("prod");
        var p = Pipeline("prod").Definition["States"]!["Train"]!["Parameters"]!;
        var key = stack.Ref("aws_kms_key", "models-key/key", "arn");
        Assert.Equal(key, p["ResourceConfig"]!["VolumeKmsKeyId"]!.GetValue<string>());
        Assert.Equal(key, p["OutputDataConfig"]!["KmsKeyId"]!.GetValue<string>());
        Assert.Equal(("ml.m5.2xlarge", 2), (p["ResourceConfig"]!["InstanceType"]!.GetValue<string>(), p["ResourceConfig"]!["InstanceCount"]!.GetValue<int>()));
        Assert.Equal(Prod.Config.AvailabilityZones.Select(az => stack.Ref("aws_subnet", $"network/private-{az}", "id")), JsonValues.Strings(p["VpcConfig"]!["Subnets"]));
        Assert.True(p["EnableNetworkIsolation"]!.GetValue<bool>());
        Assert.True(p["EnableInterContainerTrafficEncryption"]!.GetValue<bool>());
        Assert.Equal($"{stack.Ref("aws_ecr_repository", "training-repository/repository", "repository_url")}:1.0.0", p["AlgorithmSpecification"]!["TrainingImage"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("dev", true)]
    [InlineData("staging", true)]
    [InlineData("prod", false)]
    public void Dev_and_staging_train_on_spot_with_a_checkpoint_folder_per_execution(string env, bool spot)
    {
        var stack = Stack(env);
        var train = Pipeline(env).Definition["States"]!["Train"]!;
        var p = train["Parameters"]!;
        var runtime = p["StoppingCondition"]!["MaxRuntimeInSeconds"]!.GetValue<int>();
        if (!spot)
        {
            Assert.Null(p["EnableManagedSpotTraining"]);
            Assert.Null(p["CheckpointConfig"]);
            Assert.Null(p["StoppingCondition"]!["MaxWaitTimeInSeconds"]);
            Assert.Equal(runtime + 3600, train["TimeoutSeconds"]!.GetValue<int>());
            Assert.DoesNotContain(stack.Resources("aws_iam_role_policy"), r => r.Path.EndsWith("read-write-models-bucket-checkpoints-policy", StringComparison.Ordinal));
            return;
        }
        Assert.True(p["EnableManagedSpotTraining"]!.GetValue<bool>());
        Assert.Equal(172_800, p["StoppingCondition"]!["MaxWaitTimeInSeconds"]!.GetValue<int>());
        Assert.Equal(172_800 + 3600, train["TimeoutSeconds"]!.GetValue<int>());
        Assert.Equal($"States.Format('s3://{stack.Ref("aws_s3_bucket", "models-bucket/bucket", "bucket")}/checkpoints/{{}}/', $$.Execution.Name)",
            p["CheckpointConfig"]!["S3Uri.$"]!.GetValue<string>());
        var grant = JsonValues.BySid(stack.Statements("sagemaker-execution-role/read-write-models-bucket-checkpoints-document"));
        Assert.Equal([$"{stack.Ref("aws_s3_bucket", "models-bucket/bucket", "arn")}/checkpoints/*"], JsonValues.Strings(grant["ReadWriteObjects"]["resources"]));
    }

    [Fact]
    public void Hyperparameters_from_configuration_reach_the_training_job()
    {
        var config = Dev.Config with { Ml = Dev.Config.Ml with { Pipeline = Dev.Config.Ml.Pipeline with { TrainingHyperParameters = new Dictionary<string, string> { ["max_depth"] = "6", ["eta"] = "0.2" } } } };
        Assert.Empty(EnvironmentValidator.Validate([config]));
        var stack = ConfigSynth.Environment(config);
        var definition = TerraformValues.ParseEmbedded(stack.Resource("aws_sfn_state_machine", "training-pipeline/state-machine").String("definition"))!;
        var hyper = definition["States"]!["Train"]!["Parameters"]!["HyperParameters"]!.AsObject();
        Assert.Equal(new Dictionary<string, string> { ["max_depth"] = "6", ["eta"] = "0.2" }, hyper.ToDictionary(h => h.Key, h => h.Value!.GetValue<string>()));
        Assert.Null(Pipeline("dev").Definition["States"]!["Train"]!["Parameters"]!["HyperParameters"]);
    }

    [Fact]
    public void Pipeline_logs_all_with_execution_data_traces_and_is_scheduled()
    {
        var stack = Stack("dev");
        var (_, machine) = Pipeline("dev");
        Assert.Equal("ALL", machine["logging_configuration"]!["level"]!.GetValue<string>());
        Assert.True(machine["logging_configuration"]!["include_execution_data"]!.GetValue<bool>());
        Assert.True(machine["tracing_configuration"]!["enabled"]!.GetValue<bool>());
        var logs = stack.Resource("aws_cloudwatch_log_group", "training-pipeline/logs/log-group");
        Assert.Equal(stack.Ref("aws_kms_key", "logs-key/key", "arn"), logs["kms_key_id"]!.GetValue<string>());
        var schedule = stack.Resource("aws_scheduler_schedule", "training-pipeline/schedule");
        Assert.Equal("cron(0 3 ? * MON *)", schedule["schedule_expression"]!.GetValue<string>());
        Assert.Equal(stack.Ref("aws_sfn_state_machine", "training-pipeline/state-machine", "arn"), schedule["target"]!["arn"]!.GetValue<string>());
    }

    [Fact]
    public void Pipeline_role_may_pass_only_the_training_role_and_start_only_its_jobs()
    {
        var stack = Stack("dev");
        var s = JsonValues.BySid(stack.Statements("training-pipeline/role/pipeline-steps-document"));
        Assert.Equal([stack.Ref("aws_iam_role", "sagemaker-execution-role/role", "arn")], JsonValues.Strings(s["PassTrainingRole"]["resources"]));
        Assert.Equal("sagemaker.amazonaws.com", s["PassTrainingRole"]["condition"]![0]!["values"]![0]!.GetValue<string>());
        Assert.Equal(["arn:aws:sagemaker:us-east-1:111122223333:training-job/mlopstf-dev-train-*"], JsonValues.Strings(s["RunTrainingJobs"]["resources"]));
        Assert.Equal([$"arn:aws:glue:us-east-1:111122223333:job/{stack.Ref("aws_glue_job", "data-preparation/job", "name")}"], JsonValues.Strings(s["RunPreprocessJob"]["resources"]));
    }

    [Fact]
    public void Definition_with_a_dangling_transition_is_rejected()
    {
        var definition = new StateMachineDefinition("c", "A", new Dictionary<string, State>
        {
            ["A"] = new TaskState { Resource = "arn:aws:states:::lambda:invoke", Next = "Missing" },
        });
        var ex = Assert.Throws<InvalidOperationException>(definition.ToJson);
        Assert.Equal("State \"A\" moves to \"Missing\", which is not defined.", ex.Message);
    }

    [Fact]
    public void Dev_scores_the_batch_input_with_the_registered_model_and_deletes_the_model_after()
    {
        var stack = Stack("dev");
        var states = Pipeline("dev").Definition["States"]!;
        var model = states["CreateBatchModel"]!["Parameters"]!;
        Assert.Equal("arn:aws:states:::sagemaker:createModel", states["CreateBatchModel"]!["Resource"]!.GetValue<string>());
        Assert.Equal(("$.training.TrainingJobName", "$.training.ModelArtifacts"), (model["ModelName.$"]!.GetValue<string>(), model["PrimaryContainer"]!["ModelDataUrl.$"]!.GetValue<string>()));
        Assert.True(model["EnableNetworkIsolation"]!.GetValue<bool>());
        Assert.NotEmpty(model["VpcConfig"]!["Subnets"]!.AsArray());
        Assert.StartsWith($"{stack.Ref("aws_ecr_repository", "inference-repository/repository", "repository_url")}:", model["PrimaryContainer"]!["Image"]!.GetValue<string>());
        var job = states["BatchTransform"]!;
        Assert.Equal("arn:aws:states:::sagemaker:createTransformJob.sync", job["Resource"]!.GetValue<string>());
        var p = job["Parameters"]!;
        var data = stack.Ref("aws_s3_bucket", "data-bucket/bucket", "bucket");
        Assert.Equal($"s3://{data}/batch-transform/input/", p["TransformInput"]!["DataSource"]!["S3DataSource"]!["S3Uri"]!.GetValue<string>());
        Assert.Equal($"States.Format('s3://{data}/batch-transform/output/{{}}/', $$.Execution.Name)", p["TransformOutput"]!["S3OutputPath.$"]!.GetValue<string>());
        Assert.Equal(stack.Ref("aws_kms_key", "data-key/key", "arn"), p["TransformOutput"]!["KmsKeyId"]!.GetValue<string>());
        Assert.Equal(("ml.m5.large", 1), (p["TransformResources"]!["InstanceType"]!.GetValue<string>(), p["TransformResources"]!["InstanceCount"]!.GetValue<int>()));
        Assert.Equal(("MultiRecord", "Line", "Line"), (p["BatchStrategy"]!.GetValue<string>(), p["TransformInput"]!["SplitType"]!.GetValue<string>(), p["TransformOutput"]!["AssembleWith"]!.GetValue<string>()));
        Assert.Equal("DeleteBatchModel", job["Next"]!.GetValue<string>());
        Assert.Equal("NotifyFailure", job["Catch"]![0]!["Next"]!.GetValue<string>());
        Assert.Equal("arn:aws:states:::aws-sdk:sagemaker:deleteModel", states["DeleteBatchModel"]!["Resource"]!.GetValue<string>());
        Assert.Contains(stack.Resources("aws_iam_role_policy"), r => r.String("name") == "read-write-data-bucket-batch-transform-output");
        foreach (var env in new[] { "staging", "prod" })
            Assert.Null(Pipeline(env).Definition["States"]!["BatchTransform"]);
    }
}
