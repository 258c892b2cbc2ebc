namespace MlopsTf.Environments;

/// <summary>Development: small and cheap. One NAT gateway, short log retention, buckets may be force-destroyed.</summary>
public static class Dev
{
    private const string EnvName = "dev";

    /// <summary>The dev environment, serving the versions of <see cref="Releases.Current"/>.</summary>
    public static EnvironmentConfig Config { get; } = For(Releases.Current);

    /// <summary>The dev environment serving the versions <paramref name="releases"/> names.</summary>
    public static EnvironmentConfig For(Releases releases) => new()
    {
        Name = EnvName,
        AccountId = "111122223333",
        Region = "us-east-1",
        AvailabilityZones = ["us-east-1a", "us-east-1b"],
        VpcCidr = "10.10.0.0/16",
        NatStrategy = NatStrategy.Single,
        SageMaker = new() { AllowedInstanceTypes = ["ml.t3.medium", "ml.m5.large"], MaxInstanceCount = 1 },
        LogRetentionDays = 30,
        Alarms = new() { ModelLatencyP95Ms = 1000, MonthlyBudgetUsd = 300 },
        AlertEmails = ["ml-platform-dev@example.com"],
        DeletionProtection = false,
        AllowForceDestroy = true,
        Tags = new Dictionary<string, string> { ["CostCenter"] = "ml-research" },
        Ml = new()
        {
            StudioUsers = ["data-scientist"],
            ModelFamilies = ["churn"],
            FeatureGroups = [Catalog.CustomerActivity],
            Pipeline = new()
            {
                TrainingInstanceType = "ml.m5.large",
                TrainingImageTag = "1.0.0",
                TrainingSpotMaxWaitSeconds = 172_800,
                EvaluationThreshold = 0.75,
                RequiredColumns = Catalog.ChurnRequiredColumns,
                MinimumRows = 100,
                BatchTransform = new() { InstanceType = "ml.m5.large" },
            },
            Ecr = new() { KeepTaggedImages = 10, UntaggedExpiryDays = 3 },
        },
        Serving = new()
        {
            DefaultMode = EndpointMode.Serverless,
            Models = [Catalog.ChurnModel],
            Endpoints = [new() { Name = "churn", Model = "churn", ActiveVersion = releases.Active(EnvName, "churn"), Serverless = new() { MemoryMb = 2048, MaxConcurrency = 5 } }],
            NightlyCleanup = new(),
        },
        StateBackend = new()
        {
            Bucket = "mlopstf-tfstate-111122223333-us-east-1",
            LockTable = "mlopstf-tflock",
            Region = "us-east-1",
        },
    };
}
