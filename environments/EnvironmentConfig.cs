namespace MlopsTf.Environments;

/// <summary>How NAT gateways are laid out across availability zones.</summary>
public enum NatStrategy
{
    /// <summary>One NAT gateway shared by every private subnet: cheap, a single-AZ dependency.</summary>
    Single,

    /// <summary>One NAT gateway per availability zone: no cross-AZ dependency, the highly available choice.</summary>
    PerAz,
}

/// <summary>
/// Everything that distinguishes one deployment environment from another. Records are validated by
/// <see cref="EnvironmentValidator"/> before any stack is built.
/// </summary>
public sealed record EnvironmentConfig
{
    /// <summary>Environment name; also the stack name (<c>cdktf deploy dev</c>). Lower-case letters, digits and '-'.</summary>
    public required string Name { get; init; }

    /// <summary>The 12-digit AWS account this environment deploys into; the provider refuses any other.</summary>
    public required string AccountId { get; init; }

    /// <summary>AWS region code, e.g. <c>us-east-1</c>.</summary>
    public required string Region { get; init; }

    /// <summary>Availability zones, named explicitly so that nothing is looked up at synth or plan time.</summary>
    public required IReadOnlyList<string> AvailabilityZones { get; init; }

    /// <summary>The VPC's IPv4 CIDR block (a /16 to /20 network).</summary>
    public required string VpcCidr { get; init; }

    /// <summary>NAT gateway layout. Default: one per AZ (the highly available choice).</summary>
    public NatStrategy NatStrategy { get; init; } = NatStrategy.PerAz;

    /// <summary>SageMaker instance allowance for training and hosting.</summary>
    public required SageMakerAllowance SageMaker { get; init; }

    /// <summary>CloudWatch Logs retention in days; must be a value CloudWatch accepts. Default: 365.</summary>
    public int LogRetentionDays { get; init; } = 365;

    /// <summary>Alarm thresholds. Default: <see cref="AlarmThresholds"/> defaults.</summary>
    public AlarmThresholds Alarms { get; init; } = new();

    /// <summary>E-mail addresses subscribed to the alerts topic.</summary>
    public IReadOnlyList<string> AlertEmails { get; init; } = [];

    /// <summary>
    /// Protects the data, models and artifacts buckets (<c>prevent_destroy</c>) and retains the Studio home file system.
    /// Default: on.
    /// </summary>
    public bool DeletionProtection { get; init; } = true;

    /// <summary>
    /// Lets Terraform delete non-empty non-state buckets and ECR repositories that still hold images on destroy.
    /// Default: off; never applies to the state bucket.
    /// </summary>
    public bool AllowForceDestroy { get; init; }

    /// <summary>Extra tags added to every resource through the provider's default tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Studio users, model registry, feature store, retraining pipeline, images and budget.</summary>
    public required MlConfig Ml { get; init; }

    /// <summary>Models, endpoints, the public inference API and the nightly cleanup. Default: nothing served.</summary>
    public ServingConfig Serving { get; init; } = new();

    /// <summary>Where this environment's Terraform state lives; created by the bootstrap stack.</summary>
    public required StateBackendConfig StateBackend { get; init; }
}

/// <summary>Which SageMaker instances an environment may run, and how many.</summary>
public sealed record SageMakerAllowance
{
    /// <summary>Instance types (e.g. <c>ml.m5.large</c>) that training and hosting may use. Must not be empty.</summary>
    public required IReadOnlyList<string> AllowedInstanceTypes { get; init; }

    /// <summary>Largest instance count any one job or endpoint variant may request. Default: 2.</summary>
    public int MaxInstanceCount { get; init; } = 2;
}

/// <summary>Thresholds for the platform's CloudWatch alarms.</summary>
public sealed record AlarmThresholds
{
    /// <summary>p95 model latency above which an endpoint alarms, in milliseconds. Default: 500.</summary>
    public int ModelLatencyP95Ms { get; init; } = 500;

    /// <summary>5XX and model error rate above which an endpoint alarms, in percent. Default: 1.</summary>
    public double ErrorRatePercent { get; init; } = 1.0;

    /// <summary>Messages visible in a dead-letter queue at which an alarm fires. Default: 1.</summary>
    public int DeadLetterQueueDepth { get; init; } = 1;

    /// <summary>Monthly cost budget for the environment in USD. Default: 500.</summary>
    public int MonthlyBudgetUsd { get; init; } = 500;
}

/// <summary>The environment's S3 state backend with DynamoDB and S3-native locking.</summary>
public sealed record StateBackendConfig
{
    /// <summary>State bucket name (globally unique, 3-63 characters, DNS-compatible).</summary>
    public required string Bucket { get; init; }

    /// <summary>DynamoDB lock table name (partition key <c>LockID</c>).</summary>
    public required string LockTable { get; init; }

    /// <summary>Region of the bucket and the table.</summary>
    public required string Region { get; init; }

    /// <summary>Alias of the KMS key that encrypts state, without the <c>alias/</c> prefix. Default: <c>terraform-state</c>.</summary>
    public string KmsKeyAlias { get; init; } = "terraform-state";

    /// <summary>Object key of the state file. Default (when null): <c>envs/&lt;env&gt;/terraform.tfstate</c>.</summary>
    public string? Key { get; init; }

    /// <summary>The state key for <paramref name="environment"/>, applying the default.</summary>
    public string KeyFor(string environment) => Key ?? $"envs/{environment}/terraform.tfstate";
}
