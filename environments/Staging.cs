namespace MlopsTf.Environments;

/// <summary>Staging: production-shaped on a smaller budget. Two AZs with a NAT gateway each.</summary>
public static class Staging
{
    private const string EnvName = "staging";

    /// <summary>The staging environment, serving the versions of <see cref="Releases.Current"/>.</summary>
    public static EnvironmentConfig Config { get; } = For(Releases.Current);

    /// <summary>The staging environment serving the versions <paramref name="releases"/> names.</summary>
    public static EnvironmentConfig For(Releases releases) => new()
    {
        Name = EnvName,
        AccountId = "444455556666",
        Region = "us-east-1",
        AvailabilityZones = ["us-east-1a", "us-east-1b"],
        VpcCidr = "10.20.0.0/16",
        NatStrategy = NatStrategy.PerAz,
        SageMaker = new() { AllowedInstanceTypes = ["ml.m5.large", "ml.m5.xlarge", "ml.c5.xlarge"], MaxInstanceCount = 4 },
        LogRetentionDays = 90,
        Alarms = new() { MonthlyBudgetUsd = 1500 },
        AlertEmails = ["ml-platform-staging@example.com"],
        DeletionProtection = true,
        Tags = new Dictionary<string, string> { ["CostCenter"] = "ml-platform" },
        Ml = new()
        {
            ModelFamilies = ["churn"],
            FeatureGroups = [Catalog.CustomerActivity],
            Pipeline = new()
            {
                TrainingInstanceType = "ml.m5.xlarge",
                TrainingImageTag = "1.0.0",
                TrainingSpotMaxWaitSeconds = 172_800,
                RequiredColumns = Catalog.ChurnRequiredColumns,
            },
        },
        Serving = new()
        {
            Models = [Catalog.ChurnModel],
            Endpoints =
            [
                new()
                {
                    Name = "churn",
                    Model = "churn",
                    ActiveVersion = releases.Active(EnvName, "churn"),
                    Variants = [new() { Name = "primary", InstanceType = "ml.m5.large", InstanceCount = 1 }],
                    Rollout = new() { Strategy = RolloutStrategy.Linear, LinearStepPercent = 25, WaitIntervalSeconds = 300 },
                    Autoscaling = new() { MaxInstances = 3, ScaleDownOffHours = true },
                    DriftMonitor = new() { InstanceType = "ml.m5.large", Feature = "spend_30d", BaselinePrefix = "churn/1.1.0/baseline/" },
                    ModelQuality = new() { InstanceType = "ml.m5.large", Threshold = 0.7 },
                },
                new()
                {
                    Name = "churn-ab",
                    Model = "churn",
                    ActiveVersion = releases.Active(EnvName, "churn-ab"),
                    Variants =
                    [
                        new() { Name = "current", Version = "1.0.0", InstanceType = "ml.m5.large", InstanceCount = 1, Weight = 9 },
                        new() { Name = "candidate", Version = "1.1.0", InstanceType = "ml.m5.large", InstanceCount = 1, Weight = 1 },
                    ],
                },
                new()
                {
                    Name = "churn-async",
                    Model = "churn",
                    ActiveVersion = releases.Active(EnvName, "churn-async"),
                    Mode = EndpointMode.Async,
                    Variants = [new() { Name = "primary", InstanceType = "ml.m5.large", InstanceCount = 1 }],
                    Async = new() { MaxInstances = 2, MaxConcurrentInvocationsPerInstance = 4 },
                },
            ],
            PublicApi = new() { Endpoint = "churn", CorsOrigins = ["https://staging.app.example.com"] },
            Frontend = new() { DomainName = "staging.app.example.com", CertificateArn = "arn:aws:acm:us-east-1:444455556666:certificate/5c1f2b7e-3d4a-4e8b-9c6d-0a1b2c3d4e5f" },
        },
        StateBackend = new()
        {
            Bucket = "mlopstf-tfstate-444455556666-us-east-1",
            LockTable = "mlopstf-tflock",
            Region = "us-east-1",
        },
    };
}
