using MlopsTf.Constructs.Ecr;
using MlopsTf.Constructs.Glue;
using MlopsTf.Constructs.Monitoring;
using MlopsTf.Constructs.StepFunctions;

namespace MlopsTf.Tests.Constructs;

/// <summary>The error each construct gives for an invalid prop (constructs whose errors other test classes cover are not repeated).</summary>
[Collection(JsiiCollection.Name)]
public class InvalidPropsTests
{
    [Fact]
    public void Log_group_retention_must_be_a_cloudwatch_value()
    {
        var stack = Scratch.Stack();
        Scratch.Rejects(() => new EncryptedLogGroup(stack, "g", new EncryptedLogGroupProps { LogGroupName = "/x", EncryptionKey = Scratch.Key(stack), RetentionInDays = 45 }),
            "EncryptedLogGroupProps.RetentionInDays = 45", "/x", "1, 3, 5");
    }

    [Fact]
    public void Vpc_guard_needs_subnets()
    {
        var stack = Scratch.Stack();
        Scratch.Rejects(() => new SageMakerVpcGuard(stack, "g", new SageMakerVpcGuardProps { PolicyName = "p", AllowedSubnetIds = [] }),
            "SageMakerVpcGuardProps.AllowedSubnetIds is empty", "p");
    }

    [Fact]
    public void Studio_domain_needs_subnets()
    {
        var stack = Scratch.Stack();
        var role = new ServiceRole(stack, "r", new ServiceRoleProps { RoleName = "r", Service = "sagemaker.amazonaws.com", Description = "d" });
        Scratch.Rejects(() => new StudioDomain(stack, "d", new StudioDomainProps
        {
            DomainName = "studio", VpcId = "vpc-1", SubnetIds = [], SecurityGroupId = "sg-1", ExecutionRole = role, EncryptionKey = Scratch.Key(stack),
        }), "StudioDomainProps.SubnetIds is empty", "studio");
    }

    [Fact]
    public void Model_registry_needs_a_family()
    {
        var stack = Scratch.Stack();
        Scratch.Rejects(() => new ModelRegistry(stack, "r", new ModelRegistryProps { Families = [] }),
            "ModelRegistryProps.Families is empty");
    }

    [Fact]
    public void Data_preparation_needs_its_script_a_valid_worker_count_and_splits_that_add_up()
    {
        var stack = Scratch.Stack();
        var etl = SourcePaths.Function(Path.Combine("glue_preprocess", "preprocess.py"));
        DataPreparationProps Props(string id, string script, int workers, IReadOnlyList<ChannelSplit>? splits = null, string column = "id") => new()
        {
            DataBucket = null!, ArtifactsBucket = null!,
            ScriptPath = script, DataKey = Scratch.Key(stack, $"k{id}"), LogsKey = Scratch.Key(stack, $"l{id}"),
            CrawlerSchedule = "cron(0 1 * * ? *)", Workers = workers, Splits = splits ?? [new("train", 80), new("validation", 20)], SplitColumn = column,
        };
        Scratch.Rejects(() => new DataPreparation(stack, "a", Props("a", "/nonexistent/etl.py", 2)), "DataPreparationProps.ScriptPath", "/nonexistent/etl.py");
        Scratch.Rejects(() => new DataPreparation(stack, "b", Props("b", etl, 1)), "DataPreparationProps.Workers = 1");
        Scratch.Rejects(() => new DataPreparation(stack, "c", Props("c", etl, 2, [new("train", 80), new("validation", 30)])), "DataPreparationProps.Splits = [train:80, validation:30]", "adding up to 100");
        Scratch.Rejects(() => new DataPreparation(stack, "d", Props("d", etl, 2, [new("train", 50), new("train", 50)])), "DataPreparationProps.Splits", "each channel once");
        Scratch.Rejects(() => new DataPreparation(stack, "e", Props("e", etl, 2, column: " ")), "DataPreparationProps.SplitColumn is empty");
    }

    [Fact]
    public void Monitoring_needs_a_positive_budget()
    {
        var stack = Scratch.Stack();
        Scratch.Rejects(() => new PlatformMonitoring(stack, "m", new PlatformMonitoringProps
        {
            Alerts = null!, Pipeline = null!, Functions = [], GlueJobs = [], MonthlyBudgetUsd = 0,
        }), "PlatformMonitoringProps.MonthlyBudgetUsd = 0");
    }

    [Fact]
    public void Pipeline_threshold_must_be_finite() =>
        Scratch.Rejects(() => new TrainingPipeline(Scratch.Stack(), "p", PipelineProps(threshold: double.NaN)), "TrainingPipelineProps.Threshold = NaN");

    [Fact]
    public void Pipeline_gate_metric_must_be_defined_for_the_training_job() =>
        Scratch.Rejects(() => new TrainingPipeline(Scratch.Stack(), "p", PipelineProps(metric: "train:loss")),
            "TrainingPipelineProps.EvaluationMetric = \"validation:auc\" is not among Training.Metrics (train:loss)");

    [Fact]
    public void Pipeline_name_prefix_must_leave_room_for_a_unique_training_job_name()
    {
        var prefix = "mlopstf-" + new string('e', 13);
        Scratch.Rejects(() => new TrainingPipeline(Scratch.Stack(context: Scratch.Context with { NamePrefix = prefix }), "p", PipelineProps()),
            $"The stack's name prefix \"{prefix}\" makes training job names of 64 characters ({prefix}-train-<uuid>); SageMaker accepts at most 63. Fix: shorten the project or environment name to at most 20 characters together.");
    }

    /// <summary>Pipeline props whose checks run before any construct is touched (the constructs are null).</summary>
    private static TrainingPipelineProps PipelineProps(double threshold = 0.5, string metric = "validation:auc") => new()
    {
        Validate = null!, Preprocess = null!,
        Training = new TrainingJobSpec
        {
            Repository = null!, ImageTag = "1.0.0", InstanceType = "ml.m5.large", InstanceCount = 1, VolumeSizeGb = 10, MaxRuntimeSeconds = 60,
            ExecutionRole = null!, SubnetIds = ["s"], SecurityGroupId = "sg", Key = null!, Metrics = [new(metric, "=([0-9.]+)")],
        },
        DataBucket = null!, ModelsBucket = null!, Evaluate = null!, MaximizeMetric = true, Threshold = threshold, PackageGroup = null!,
        Alerts = null!, LogsKey = null!, LogRetentionDays = 30, Schedule = "rate(1 day)", VpcGuard = null!,
        EvaluationMetric = "validation:auc", InferenceRepository = null!, InferenceImageTag = "1.0.0",
    };

    [Fact]
    public void A_service_role_trusts_exactly_one_principal()
    {
        var stack = Scratch.Stack();
        Scratch.Rejects(() => new ServiceRole(stack, "a", new ServiceRoleProps { RoleName = "r", Description = "d" }), "set exactly one of Service", "AssumedByRoleArn");
        Scratch.Rejects(() => new ServiceRole(stack, "b", new ServiceRoleProps { RoleName = "r", Description = "d", Service = "x.amazonaws.com", AssumedByRoleArn = "arn:aws:iam::1:role/x" }),
            "set exactly one of Service");
    }

    [Fact]
    public void A_repository_protects_exact_tags_and_shares_with_named_accounts()
    {
        var stack = Scratch.Stack();
        var repo = new ContainerRepository(stack, "repo", new ContainerRepositoryProps { RepositoryName = "t/inference", EncryptionKey = Scratch.Key(stack, "k") });
        Scratch.Rejects(() => repo.ProtectTag("1.*"), "ContainerRepository.ProtectTag(\"1.*\")", "one exact image tag");
        Scratch.Rejects(() => repo.GrantPullToAccounts([]), "GrantPullToAccounts", "at least one account");
    }

    [Fact]
    public void Deployable_model_needs_versions_and_a_real_waiver()
    {
        var stack = Scratch.Stack();
        DeployableModelProps Props(IReadOnlyList<DeployableVersion> versions, string? waiver) => new()
        {
            ModelName = "m", Versions = versions, Repository = null!, ModelsBucket = null!, ExecutionRole = null!,
            SubnetIds = ["subnet-1"], SecurityGroupId = "sg-1", NetworkIsolationWaiver = waiver,
        };
        Scratch.Rejects(() => new DeployableModel(stack, "a", Props([], null)), "DeployableModelProps.Versions is empty", "model m");
        Scratch.Rejects(() => new DeployableModel(stack, "b", Props([new("1", "1", "m/1/model.tar.gz")], "  ")), "NetworkIsolationWaiver", "is blank");
    }

    [Fact]
    public void Inference_api_needs_positive_limits_and_exact_origins()
    {
        var stack = Scratch.Stack();
        InferenceApiProps Props(int rate, string[] origins) => new()
        {
            Endpoint = null!, ProxySourceDirectory = "/x", SubnetIds = ["s"],
            SecurityGroupId = "sg", DataKey = null!, LogsKey = null!, LogRetentionDays = 30, CorsOrigins = origins,
            RateLimitPerSecond = rate, BurstLimit = 10, MaxBodyBytes = 1024, Alerts = null!, LatencyP95Ms = 1000, ErrorRatePercent = 1,
        };
        Scratch.Rejects(() => new InferenceApi(stack, "a", Props(0, [])), "InferenceApiProps.RateLimitPerSecond/BurstLimit = 0/10");
        Scratch.Rejects(() => new InferenceApi(stack, "b", Props(5, ["*"])), "InferenceApiProps.CorsOrigins", "'*' is not allowed");
        Scratch.Rejects(() => new InferenceApi(stack, "c", Props(5, []) with { LatencyP95Ms = 30000 }), "InferenceApiProps.LatencyP95Ms = 30000", "29 s");
        Scratch.Rejects(() => new InferenceApi(stack, "d", Props(5, []) with { ErrorRatePercent = 0 }), "InferenceApiProps.ErrorRatePercent = 0");
        Scratch.Rejects(() => new InferenceApi(stack, "e", Props(5, []) with { Authorization = ApiAuthorization.Jwt("http://issuer.example.com", "app") }),
            "InferenceApiProps.Authorization.JwtIssuer = \"http://issuer.example.com\"", "https URL");
        Scratch.Rejects(() => new InferenceApi(stack, "f", Props(5, []) with { Authorization = ApiAuthorization.Jwt("https://issuer.example.com") }),
            "InferenceApiProps.Authorization.JwtAudiences is empty");
        Scratch.Rejects(() => new InferenceApi(stack, "g", Props(5, []) with { Authorization = ApiAuthorization.Iam with { JwtIssuer = "https://x" } }),
            "JwtIssuer/JwtAudiences are set for Iam authorization");
    }

    [Fact]
    public void Drift_threshold_is_a_distance()
    {
        var stack = Scratch.Stack();
        Scratch.Rejects(() => new DriftMonitor(stack, "d", new DriftMonitorProps
        {
            Endpoint = null!, ReportsBucket = null!, Key = null!, Role = null!, SubnetIds = [], SecurityGroupId = "sg",
            InstanceType = "ml.m5.large", Schedule = "cron(0 * ? * * *)", Feature = "f", Threshold = 0, Alerts = null!,
        }), "DriftMonitorProps.Threshold = 0");
    }
}
