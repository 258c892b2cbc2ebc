namespace MlopsTf.Environments;

/// <summary>Production: highly available. Three AZs with a NAT gateway each, a year of logs, deletion protection.</summary>
public static class Prod
{
    private const string EnvName = "prod";

    /// <summary>The prod environment, serving the versions of <see cref="Releases.Current"/>.</summary>
    public static EnvironmentConfig Config { get; } = For(Releases.Current);

    /// <summary>The prod environment serving the versions <paramref name="releases"/> names.</summary>
    public static EnvironmentConfig For(Releases releases) => new()
    {
        Name = EnvName,
        AccountId = "777788889999",
        Region = "us-east-1",
        AvailabilityZones = ["us-east-1a", "us-east-1b", "us-east-1c"],
        VpcCidr = "10.30.0.0/16",
        NatStrategy = NatStrategy.PerAz,
        SageMaker = new() { AllowedInstanceTypes = ["ml.m5.xlarge", "ml.m5.2xlarge", "ml.c5.2xlarge", "ml.g5.xlarge"], MaxInstanceCount = 10 },
        LogRetentionDays = 365,
        Alarms = new() { ModelLatencyP95Ms = 500, ErrorRatePercent = 1.0, MonthlyBudgetUsd = 10000 },
        AlertEmails = ["ml-platform-oncall@example.com"],
        DeletionProtection = true,
        Tags = new Dictionary<string, string> { ["CostCenter"] = "ml-platform", ["DataClassification"] = "confidential" },
        Ml = new()
        {
            ModelFamilies = ["churn"],
            FeatureGroups = [Catalog.CustomerActivity],
            Pipeline = new()
            {
                TrainingInstanceType = "ml.m5.2xlarge",
                TrainingInstanceCount = 2,
                TrainingImageTag = "1.0.0",
                EvaluationThreshold = 0.8,
                RequiredColumns = Catalog.ChurnRequiredColumns,
            },
            Ecr = new() { KeepTaggedImages = 50, UntaggedExpiryDays = 14 },
        },
        Serving = new()
        {
            MinimumInstancesPerVariant = 2,
            Models = [Catalog.ChurnModel],
            Endpoints =
            [
                new()
                {
                    Name = "churn",
                    Model = "churn",
                    ActiveVersion = releases.Active(EnvName, "churn"),
                    Variants = [new() { Name = "primary", InstanceType = "ml.m5.xlarge", InstanceCount = 2 }],
                    Rollout = new() { Strategy = RolloutStrategy.Canary, CanaryPercent = 10, WaitIntervalSeconds = 600, TerminationWaitSeconds = 600 },
                    Autoscaling = new() { MaxInstances = 6, TargetInvocationsPerInstance = 200 },
                    DataCapture = new(SamplingPercent: 10),
                    TrafficExpected = true,
                    DriftMonitor = new() { InstanceType = "ml.m5.xlarge", Feature = "spend_30d", Threshold = 0.15, BaselinePrefix = "churn/1.1.0/baseline/" },
                    ModelQuality = new() { InstanceType = "ml.m5.xlarge", Threshold = 0.75 },
                },
            ],
        },
        StateBackend = new()
        {
            Bucket = "mlopstf-tfstate-777788889999-us-east-1",
            LockTable = "mlopstf-tflock",
            Region = "us-east-1",
        },
    };
}
