namespace MlopsTf.Tests;

public class MlConfigValidationTests
{
    private static EnvironmentConfig With(Func<MlConfig, MlConfig> change) => Dev.Config with { Ml = change(Dev.Config.Ml) };

    private static EnvironmentConfig WithPipeline(Func<PipelineConfig, PipelineConfig> change) =>
        With(ml => ml with { Pipeline = change(ml.Pipeline) });

    private static ConfigError Single(EnvironmentConfig env)
    {
        var errors = EnvironmentValidator.Validate([env]);
        Assert.True(errors.Count == 1, $"expected exactly one error, got {errors.Count}:\n{string.Join("\n", errors)}");
        return errors[0];
    }

    [Fact]
    public void Spot_wait_must_cover_the_run_time()
    {
        var e = Single(WithPipeline(p => p with { TrainingSpotMaxWaitSeconds = 3600 }));
        Assert.Equal(("Ml.Pipeline.TrainingSpotMaxWaitSeconds", "3600"), (e.Field, e.Value));
        Assert.Contains("TrainingMaxRuntimeSeconds = 86400", e.Problem);
    }

    [Fact]
    public void Hyperparameters_stay_within_CreateTrainingJob_limits()
    {
        var e = Single(WithPipeline(p => p with { TrainingHyperParameters = new Dictionary<string, string> { ["eta"] = new string('1', 2501) } }));
        Assert.Equal(("Ml.Pipeline.TrainingHyperParameters", "eta"), (e.Field, e.Value));
        var many = Enumerable.Range(0, 101).ToDictionary(i => $"k{i}", i => "v");
        Assert.Contains("more than 100", Single(WithPipeline(p => p with { TrainingHyperParameters = many })).Problem);
    }

    [Fact]
    public void Training_instance_type_must_be_allowed()
    {
        var e = Single(WithPipeline(p => p with { TrainingInstanceType = "ml.p4d.24xlarge" }));
        Assert.Equal(("Ml.Pipeline.TrainingInstanceType", "ml.p4d.24xlarge"), (e.Field, e.Value));
        Assert.Contains("ml.t3.medium, ml.m5.large", e.Fix);
    }

    [Fact]
    public void Training_instance_type_must_be_one_sagemaker_trains_on()
    {
        var env = Dev.Config with { SageMaker = Dev.Config.SageMaker with { AllowedInstanceTypes = ["ml.t2.medium", "ml.m5.large"] } };
        var e = Single(env with { Ml = env.Ml with { Pipeline = env.Ml.Pipeline with { TrainingInstanceType = "ml.t2.medium" } } });
        Assert.Equal(("Ml.Pipeline.TrainingInstanceType", "ml.t2.medium"), (e.Field, e.Value));
        Assert.Contains("not accepted by SageMaker for training jobs", e.Problem);
    }

    [Fact]
    public void The_gate_metric_needs_a_definition_or_sagemaker_never_reports_it()
    {
        var e = Single(WithPipeline(p => p with { EvaluationMetric = "validation:f1" }));
        Assert.Equal(("Ml.Pipeline.EvaluationMetric", "validation:f1"), (e.Field, e.Value));
        Assert.Contains("no entry in Ml.Pipeline.MetricDefinitions", e.Problem);
        Assert.Contains("validation:auc", e.Fix);
    }

    [Theory]
    [InlineData("auc=[0-9.]+", "capturing group")]
    [InlineData("auc=([0-9.]+", "capturing group")]
    [InlineData("", "1 to 500 characters")]
    public void Metric_regexes_capture_the_value(string regex, string problem)
    {
        var e = Single(WithPipeline(p => p with { MetricDefinitions = [new("validation:auc", regex)] }));
        Assert.Equal(("Ml.Pipeline.MetricDefinitions[validation:auc].Regex", regex), (e.Field, e.Value));
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void The_gate_metric_is_measured_on_a_channel_the_job_receives()
    {
        var e = Single(WithPipeline(p => p with { Channels = [new("train", 100)] }));
        Assert.Equal(("Ml.Pipeline.EvaluationMetric", "validation:auc"), (e.Field, e.Value));
        Assert.Contains("channel validation, which the training job does not receive", e.Problem);
    }

    [Theory]
    [InlineData(80, 30, "shares must add up to 100")]
    [InlineData(100, 0, "must be between 1 and 100")]
    public void Channel_shares_add_up_to_100(int train, int validation, string problem)
    {
        var errors = EnvironmentValidator.Validate([WithPipeline(p => p with { Channels = [new("train", train), new("validation", validation)] })]);
        Assert.Contains(errors, e => e.Field.StartsWith("Ml.Pipeline.Channels", StringComparison.Ordinal) && e.Problem.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Channel_names_follow_sagemaker()
    {
        var e = Single(WithPipeline(p => p with { Channels = [new("train set", 80), new("validation", 20)] }));
        Assert.Equal(("Ml.Pipeline.Channels", "train set"), (e.Field, e.Value));
    }

    [Fact]
    public void The_split_needs_a_column()
    {
        var e = Single(WithPipeline(p => p with { RequiredColumns = [], SplitColumn = null }));
        Assert.Equal("Ml.Pipeline.SplitColumn", e.Field);
        Assert.Contains("customer_id", e.Fix);
    }

    [Fact]
    public void Instance_types_outside_the_table_are_refused()
    {
        var e = Single(Dev.Config with { SageMaker = Dev.Config.SageMaker with { AllowedInstanceTypes = ["ml.t3.medium", "ml.m5.large", "ml.x9.huge"] } });
        Assert.Equal(("SageMaker.AllowedInstanceTypes", "ml.x9.huge"), (e.Field, e.Value));
        Assert.Contains("InstanceTypes.cs", e.Fix);
    }

    [Fact]
    public void Training_instance_count_is_capped_by_the_environment()
    {
        var e = Single(WithPipeline(p => p with { TrainingInstanceCount = 2 }));
        Assert.Equal(("Ml.Pipeline.TrainingInstanceCount", "2"), (e.Field, e.Value));
        Assert.Contains("SageMaker.MaxInstanceCount (1)", e.Problem);
    }

    [Theory]
    [InlineData("every monday")]
    [InlineData("rate(1 week)")]
    public void Retraining_schedule_must_be_cron_or_rate(string schedule)
    {
        var e = Single(WithPipeline(p => p with { RetrainingSchedule = schedule }));
        Assert.Equal(("Ml.Pipeline.RetrainingSchedule", schedule), (e.Field, e.Value));
    }

    [Fact]
    public void Crawler_schedule_must_be_cron()
    {
        var e = Single(WithPipeline(p => p with { CrawlerSchedule = "rate(1 day)" }));
        Assert.Equal(("Ml.Pipeline.CrawlerSchedule", "rate(1 day)"), (e.Field, e.Value));
        Assert.Contains("cron only", e.Problem);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("has space")]
    public void Training_image_tag_must_be_an_immutable_version(string tag)
    {
        var e = Single(WithPipeline(p => p with { TrainingImageTag = tag }));
        Assert.Equal(("Ml.Pipeline.TrainingImageTag", tag), (e.Field, e.Value));
    }

    [Fact]
    public void Volume_runtime_threshold_metric_and_rows_are_bounded()
    {
        var errors = EnvironmentValidator.Validate([WithPipeline(p => p with
        {
            TrainingVolumeSizeGb = 0, TrainingMaxRuntimeSeconds = 3_000_000, EvaluationThreshold = double.NaN, EvaluationMetric = " ", MinimumRows = 0,
        })]);
        Assert.Equal(["Ml.Pipeline.TrainingVolumeSizeGb", "Ml.Pipeline.TrainingMaxRuntimeSeconds", "Ml.Pipeline.EvaluationMetric",
            "Ml.Pipeline.EvaluationThreshold", "Ml.Pipeline.MinimumRows"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Pipeline_model_family_must_exist()
    {
        var e = Single(WithPipeline(p => p with { ModelFamily = "fraud" }));
        Assert.Equal(("Ml.Pipeline.ModelFamily", "fraud"), (e.Field, e.Value));
    }

    [Fact]
    public void At_least_one_model_family()
    {
        var e = Single(With(ml => ml with { ModelFamilies = [] }));
        Assert.Equal("Ml.ModelFamilies", e.Field);
    }

    [Theory]
    [InlineData("-bad")]
    [InlineData("under_score")]
    public void Names_must_be_sagemaker_names(string name)
    {
        var e = Single(With(ml => ml with { StudioUsers = [name] }));
        Assert.Equal(("Ml.StudioUsers", name), (e.Field, e.Value));
    }

    [Fact]
    public void Names_are_not_repeated()
    {
        var e = Single(With(ml => ml with { StudioUsers = ["ana", "ana"] }));
        Assert.Contains("more than once", e.Problem);
    }

    private static FeatureGroupConfig Group => Dev.Config.Ml.FeatureGroups[0];

    [Fact]
    public void Feature_group_identifier_must_be_a_feature()
    {
        var e = Single(With(ml => ml with { FeatureGroups = [Group with { RecordIdentifier = "account_id" }] }));
        Assert.Equal(("Ml.FeatureGroups[customer-activity].RecordIdentifier", "account_id"), (e.Field, e.Value));
    }

    [Fact]
    public void Feature_group_event_time_must_be_fractional_or_string()
    {
        var e = Single(With(ml => ml with { FeatureGroups = [Group with { EventTime = "sessions_30d" }] }));
        Assert.Equal(("Ml.FeatureGroups[customer-activity].EventTime", "sessions_30d"), (e.Field, e.Value));
        Assert.Contains("Integral", e.Problem);
    }

    [Fact]
    public void Feature_names_are_valid_and_unique()
    {
        var errors = EnvironmentValidator.Validate([With(ml => ml with
        {
            FeatureGroups = [Group with { Features = [.. Group.Features, new("2bad", FeatureType.String), new("plan", FeatureType.String)] }],
        })]);
        Assert.Equal([("Ml.FeatureGroups[customer-activity].Features", "2bad"), ("Ml.FeatureGroups[customer-activity].Features", "plan")],
            errors.Select(e => (e.Field, e.Value)));
    }

    [Fact]
    public void Ecr_lifecycle_and_budget_alerts_are_bounded()
    {
        var errors = EnvironmentValidator.Validate([With(ml => ml with
        {
            Ecr = new() { KeepTaggedImages = 0, UntaggedExpiryDays = 400 },
            BudgetAlertPercents = [0],
        })]);
        Assert.Equal(["Ml.Ecr.KeepTaggedImages", "Ml.Ecr.UntaggedExpiryDays", "Ml.BudgetAlertPercents"], errors.Select(e => e.Field));
        Assert.Contains("[dev] Ml.BudgetAlertPercents = \"0\"", errors[2].ToString());
    }

    [Fact]
    public void No_budget_alert_is_an_error()
    {
        var e = Single(With(ml => ml with { BudgetAlertPercents = [] }));
        Assert.Equal("Ml.BudgetAlertPercents", e.Field);
    }

    [Theory]
    [InlineData("t3", "Ml.Pipeline.BatchTransform.InstanceType", "TransformInstanceType")]
    [InlineData("allow-list", "Ml.Pipeline.BatchTransform.InstanceType", "cost guardrail")]
    [InlineData("count", "Ml.Pipeline.BatchTransform.InstanceCount", "cost guardrail")]
    [InlineData("split", "Ml.Pipeline.BatchTransform.SplitType", "use one of None, Line, RecordIO, TFRecord")]
    [InlineData("prefix", "Ml.Pipeline.BatchTransform.InputPrefix", "relative key prefix")]
    [InlineData("payload", "Ml.Pipeline.BatchTransform.MaxPayloadMb", "between 0 and 100")]
    public void Batch_transform_settings_sagemaker_would_refuse_are_named(string kind, string field, string fragment)
    {
        var batch = new MlopsTf.Constructs.StepFunctions.BatchTransformSettings { InstanceType = "ml.m5.large" };
        batch = kind switch
        {
            "t3" => batch with { InstanceType = "ml.t3.medium" },
            "allow-list" => batch with { InstanceType = "ml.c5.xlarge" },
            "count" => batch with { InstanceCount = 2 },
            "split" => batch with { SplitType = "Lines" },
            "prefix" => batch with { InputPrefix = "batch-transform/output/x/" },
            _ => batch with { MaxPayloadMb = 101 },
        };
        var e = Single(WithPipeline(p => p with { BatchTransform = batch }));
        Assert.Equal(field, e.Field);
        Assert.Contains(fragment, $"{e.Problem}. Fix: {e.Fix}");
    }
}
