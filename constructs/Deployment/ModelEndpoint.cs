namespace MlopsTf.Constructs.Deployment;

/// <summary>A production variant of a release.</summary>
/// <param name="Settings">Name, instances and weight (<see cref="VariantSettings.Serverless"/> on serverless endpoints).</param>
/// <param name="Model">The SageMaker model it serves.</param>
/// <param name="Version">The model version label (for naming and tests).</param>
/// <param name="ModelIdentity">What makes the model what it is (image and archive); part of the configuration's name.</param>
public sealed record EndpointVariant(VariantSettings Settings, SagemakerModel Model, string Version, string ModelIdentity = "");

/// <summary>A set of variants that becomes one immutable endpoint configuration.</summary>
/// <param name="Label">Release label, normally the model version.</param>
/// <param name="Variants">Its variants.</param>
public sealed record EndpointRelease(string Label, IReadOnlyList<EndpointVariant> Variants)
{
    /// <summary>Label of the one release of an endpoint that serves several variants at their weights.</summary>
    public const string Weighted = "weighted";
}

/// <summary>Props for <see cref="ModelEndpoint"/>.</summary>
public sealed record ModelEndpointProps
{
    /// <summary>Endpoint name without the prefix.</summary>
    public required string EndpointName { get; init; }

    /// <summary>Retained releases; each stays defined as an endpoint configuration so that rollback is a swap.</summary>
    public required IReadOnlyList<EndpointRelease> Releases { get; init; }

    /// <summary>Label of the release the endpoint serves.</summary>
    public required string ActiveRelease { get; init; }

    /// <summary>How the endpoint serves. Default: real-time.</summary>
    public EndpointMode Mode { get; init; } = EndpointMode.RealTime;

    /// <summary>Serverless settings, used in serverless mode. Default: 2048 MB, concurrency 5.</summary>
    public ServerlessSettings Serverless { get; init; } = new();

    /// <summary>Blue/green rollout with automatic rollback (real-time only); null updates without traffic shifting. Default: null.</summary>
    public RolloutSettings? Rollout { get; init; }

    /// <summary>Autoscaling of real-time variants; null keeps counts fixed. Default: null.</summary>
    public AutoscalingSettings? Autoscaling { get; init; }

    /// <summary>Asynchronous inference settings, used in async mode. Default: 4 per instance, up to 2 instances, scales to zero.</summary>
    public AsyncSettings Async { get; init; } = new();

    /// <summary>
    /// Bucket of asynchronous requests and results (async mode only), under <c>async-inference/&lt;endpoint&gt;/</c>,
    /// encrypted with the bucket's key (which also encrypts the notifications). Default: null.
    /// </summary>
    public SecureBucket? AsyncBucket { get; init; }

    /// <summary>Key of the endpoint's storage volumes.</summary>
    public required CustomerManagedKey VolumeKey { get; init; }

    /// <summary>Bucket receiving captured requests and responses (real-time only); null disables capture. Default: null.</summary>
    public SecureBucket? CaptureBucket { get; init; }

    /// <summary>How much is captured into <see cref="CaptureBucket"/>. Default: 20 %.</summary>
    public DataCaptureSettings DataCapture { get; init; } = new();

    /// <summary>p95 model latency alarm threshold in milliseconds.</summary>
    public required int LatencyP95Ms { get; init; }

    /// <summary>5XX and model error rate alarm threshold in percent.</summary>
    public required double ErrorRatePercent { get; init; }

    /// <summary>Alarm when no invocations arrive for 15 minutes (for endpoints with requests around the clock). Default: false.</summary>
    public bool TrafficExpected { get; init; }

    /// <summary>Topic the alarms notify.</summary>
    public required AlertsTopic Alerts { get; init; }

    /// <summary>Extra tags on the endpoint (e.g. the nightly-cleanup opt-in). Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A SageMaker endpoint with one immutable, KMS-encrypted endpoint configuration per retained release (data capture
/// of input and output to the data bucket), blue/green canary or linear rollout with automatic rollback on its
/// <see cref="EndpointAlarms"/> (wired by reference) and <see cref="EndpointAutoscaling"/> of each real-time variant.
/// </summary>
public sealed class ModelEndpoint : Construct
{
    /// <summary>Longest endpoint configuration name SageMaker accepts.</summary>
    public const int MaxConfigurationNameLength = 63;

    private static readonly int HashLength = DeployableModel.ShortHash().Length;

    /// <summary>The endpoint.</summary>
    public SagemakerEndpoint Endpoint { get; }

    /// <summary>Endpoint configurations by release label.</summary>
    public IReadOnlyDictionary<string, SagemakerEndpointConfiguration> Configurations { get; }

    /// <summary>The alarms that roll a deployment back.</summary>
    public IReadOnlyList<CloudwatchMetricAlarm> RollbackAlarms { get; }

    /// <summary>Every alarm of the endpoint (health and autoscaling), by id.</summary>
    public IReadOnlyDictionary<string, CloudwatchMetricAlarm> Alarms { get; }

    /// <summary>Endpoint name.</summary>
    public string Name { get; }

    /// <summary>How the endpoint serves.</summary>
    public EndpointMode Mode { get; }

    /// <summary>The success and error topics of an asynchronous endpoint; null for the other modes.</summary>
    public AsyncNotifications? AsyncNotifications { get; }

    /// <summary>Where callers upload asynchronous requests (<c>s3://&lt;bucket&gt;/async-inference/&lt;endpoint&gt;/input/</c>); null for the other modes.</summary>
    public string? AsyncInputUri { get; }

    /// <summary>The variants of the active release.</summary>
    public IReadOnlyList<string> VariantNames { get; }

    /// <summary>Creates the configurations, alarms, endpoint and autoscaling.</summary>
    public ModelEndpoint(Construct scope, string id, ModelEndpointProps props) : base(scope, id)
    {
        var prefix = StackContext.Of(scope).NamePrefix;
        Validate(props, prefix);
        Name = $"{prefix}-{props.EndpointName}";
        Mode = props.Mode;
        if (props.Mode == EndpointMode.Async)
        {
            AsyncNotifications = new AsyncNotifications(this, "async-notifications", new AsyncNotificationsProps
            {
                EndpointName = Name,
                Key = props.AsyncBucket!.EncryptionKey!,
            });
            AsyncInputUri = $"{AsyncPrefix(props)}input/";
        }
        Configurations = props.Releases.ToDictionary(r => r.Label, r => Configuration(props, prefix, r));
        var active = props.Releases.Single(r => r.Label == props.ActiveRelease);
        VariantNames = [.. active.Variants.Select(v => v.Settings.Name)];

        var health = new EndpointAlarms(this, "alarms", new EndpointAlarmsProps
        {
            EndpointName = Name,
            VariantNames = VariantNames,
            Mode = props.Mode,
            LatencyP95Ms = props.LatencyP95Ms,
            ErrorRatePercent = props.ErrorRatePercent,
            OldestRequestAlarmSeconds = props.Async.OldestRequestAlarmSeconds,
            TrafficExpected = props.TrafficExpected,
            Alerts = props.Alerts,
        });
        RollbackAlarms = health.RollbackAlarms;

        Endpoint = new SagemakerEndpoint(this, "endpoint", new SagemakerEndpointConfig
        {
            Name = Name,
            EndpointConfigName = Configurations[props.ActiveRelease].Name,
            DeploymentConfig = props.Rollout is { } r ? Deployment(r, RollbackAlarms) : null,
            Tags = props.Tags.Count > 0 ? new Dictionary<string, string>(props.Tags) : null,
        });

        if (props.Mode == EndpointMode.Async)
        {
            var asyncScaling = new AsyncAutoscaling(this, "async-autoscaling", new AsyncAutoscalingProps
            {
                Endpoint = Endpoint, EndpointName = Name, Variant = active.Variants[0].Settings, Settings = props.Async, Alerts = props.Alerts,
            });
            Alarms = health.Alarms.ToDictionary();
            if (asyncScaling.FromZeroAlarm is { } fromZero) Alarms = Alarms.Append(KeyValuePair.Create($"{active.Variants[0].Settings.Name}-backlog-without-capacity", fromZero)).ToDictionary();
            return;
        }
        var scaling = props.Autoscaling is { } settings
            ? active.Variants.Select(v => new EndpointAutoscaling(this, $"{v.Settings.Name}-autoscaling", new EndpointAutoscalingProps
            {
                Endpoint = Endpoint, EndpointName = Name, Variant = v.Settings, Settings = settings, Alerts = props.Alerts,
            })).ToList()
            : [];
        Alarms = health.Alarms.Concat(scaling.SelectMany(a => a.Alarms)).ToDictionary();
    }

    /// <summary>
    /// Lets <paramref name="grantee"/> invoke the endpoint: <c>sagemaker:InvokeEndpoint</c> on its ARN, or for an
    /// asynchronous endpoint <c>sagemaker:InvokeEndpointAsync</c> (the caller also needs to write its input to
    /// <see cref="AsyncInputUri"/> and read the results).
    /// </summary>
    public IamRolePolicy GrantInvoke(IGrantable grantee) => Mode == EndpointMode.Async
        ? grantee.AddPolicy("invoke-endpoint-async", Policy.Allow("InvokeEndpointAsync", ["sagemaker:InvokeEndpointAsync"], [Endpoint.Arn]))
        : grantee.AddPolicy("invoke-endpoint", Policy.Allow("InvokeEndpoint", ["sagemaker:InvokeEndpoint"], [Endpoint.Arn]));

    private static string AsyncPrefix(ModelEndpointProps p) => $"s3://{p.AsyncBucket!.Name}/{DataLayout.Data.AsyncInference}{p.EndpointName}/";

    /// <summary>
    /// Length of the name of a release's endpoint configuration, <c>&lt;prefix&gt;-&lt;endpoint&gt;-&lt;label&gt;-&lt;hash&gt;</c>
    /// (the hash has a fixed length, so this is known before the configuration is).
    /// </summary>
    public static int ConfigurationNameLength(string namePrefix, string endpointName, string releaseLabel) =>
        ConfigurationNameStem(namePrefix, endpointName, releaseLabel).Length + HashLength;

    private static string ConfigurationNameStem(string namePrefix, string endpointName, string releaseLabel) =>
        $"{namePrefix}-{endpointName}-{DeployableModel.Sanitize(releaseLabel)}-";

    /// <summary>The problem when the longest configuration name of <paramref name="releaseLabels"/> exceeds what SageMaker accepts.</summary>
    public static IEnumerable<SettingProblem> ConfigurationNameProblems(string namePrefix, string endpointName, IEnumerable<string> releaseLabels)
    {
        var longest = releaseLabels.Max(label => ConfigurationNameLength(namePrefix, endpointName, label));
        if (longest > MaxConfigurationNameLength)
            yield return new SettingProblem("Name", endpointName, $"endpoint configuration names would be {longest} characters; SageMaker allows {MaxConfigurationNameLength}",
                "shorten the endpoint name or the version labels");
    }

    private static void Validate(ModelEndpointProps p, string prefix)
    {
        var owner = $"endpoint {p.EndpointName}";
        if (p.Releases.Count == 0)
            throw new ArgumentException($"ModelEndpointProps.Releases is empty for {owner}: retain at least the active release.");
        if (p.Releases.All(r => r.Label != p.ActiveRelease))
            throw new ArgumentException($"ModelEndpointProps.ActiveRelease = \"{p.ActiveRelease}\" for {owner} is not a retained release ({string.Join(", ", p.Releases.Select(r => r.Label))}).");
        var serverless = p.Mode == EndpointMode.Serverless;
        foreach (var r in p.Releases)
        {
            if (r.Variants.Count == 0)
                throw new ArgumentException($"EndpointRelease \"{r.Label}\" of {owner} has no variants.");
            if (serverless && r.Variants.Count != 1)
                throw new ArgumentException($"EndpointRelease \"{r.Label}\" of serverless {owner} has {r.Variants.Count} variants: serverless endpoints have exactly one.");
            if (!serverless && r.Variants.Any(v => v.Settings.InstanceType is null))
                throw new ArgumentException($"EndpointRelease \"{r.Label}\" of real-time {owner} has a variant without instance type.");
        }
        if (serverless && (p.Rollout is not null || p.Autoscaling is not null || p.CaptureBucket is not null))
            throw new ArgumentException($"ModelEndpointProps for serverless {owner}: Rollout, Autoscaling and CaptureBucket apply to real-time endpoints only.");
        if (p.Mode == EndpointMode.Async)
        {
            if (p.Rollout is not null || p.Autoscaling is not null || p.CaptureBucket is not null)
                throw new ArgumentException($"ModelEndpointProps for asynchronous {owner}: Rollout, Autoscaling and CaptureBucket apply to real-time endpoints only (it scales on its backlog: AsyncSettings).");
            if (p.AsyncBucket?.EncryptionKey is null)
                throw new ArgumentException($"ModelEndpointProps.AsyncBucket for asynchronous {owner}: give a bucket with a customer managed key for requests, results and notifications.");
            if (p.Releases.Any(r => r.Variants.Count != 1))
                throw new ArgumentException($"ModelEndpointProps for asynchronous {owner}: every release needs exactly one variant (its backlog scales one fleet).");
            SettingProblem.ThrowIfAny(nameof(AsyncSettings), owner, p.Async.Problems());
        }
        else if (p.AsyncBucket is not null)
            throw new ArgumentException($"ModelEndpointProps.AsyncBucket for {owner}: only asynchronous endpoints take one; remove it or set Mode = Async.");
        if (ConfigurationNameProblems(prefix, p.EndpointName, p.Releases.Select(r => r.Label)).FirstOrDefault() is { } tooLong)
            throw new ArgumentException($"ModelEndpointProps.EndpointName = \"{p.EndpointName}\": {tooLong.Problem}; {tooLong.Fix}.");
        if (serverless) SettingProblem.ThrowIfAny(nameof(ServerlessSettings), owner, p.Serverless.Problems());
        if (p.Rollout is { } rollout) SettingProblem.ThrowIfAny(nameof(RolloutSettings), owner, rollout.Problems());
        if (p.Autoscaling is { } scaling) SettingProblem.ThrowIfAny(nameof(AutoscalingSettings), owner, scaling.Problems());
        if (p.CaptureBucket is not null) SettingProblem.ThrowIfAny(nameof(DataCaptureSettings), owner, p.DataCapture.Problems());
    }

    private SagemakerEndpointConfiguration Configuration(ModelEndpointProps p, string prefix, EndpointRelease release)
    {
        var serverless = p.Mode == EndpointMode.Serverless;
        // Everything that shapes the configuration goes into the name, so any change is a new immutable configuration
        // created before the old one is destroyed.
        var shape = string.Join(";", release.Variants.Select(v => $"{v.Settings.Name}:{v.Version}:{v.ModelIdentity}:{v.Settings.InstanceType}:{v.Settings.InstanceCount}:{v.Settings.Weight}"))
            + $"|{(serverless ? p.Serverless : null)}|{(p.CaptureBucket is null ? 0 : p.DataCapture.SamplingPercent)}"
            + (p.Mode == EndpointMode.Async ? $"|{p.Async.Shape}" : "");
        return new SagemakerEndpointConfiguration(this, $"configuration-{release.Label}", new SagemakerEndpointConfigurationConfig
        {
            Name = ConfigurationNameStem(prefix, p.EndpointName, release.Label) + DeployableModel.ShortHash(shape),
            // Serverless: SageMaker encrypts its copy of the image with it. Instance storage is encrypted by the instance's
            // own hardware, and CreateEndpointConfig refuses a key for such types.
            KmsKeyArn = release.Variants.Any(v => v.Settings.InstanceType is { } type && InstanceTypes.HasInstanceStorage(type)) ? null : p.VolumeKey.Arn,
            ProductionVariants = release.Variants.Select(v => (ISagemakerEndpointConfigurationProductionVariants)new SagemakerEndpointConfigurationProductionVariants
            {
                VariantName = v.Settings.Name,
                ModelName = v.Model.Name,
                InstanceType = serverless ? null : v.Settings.InstanceType,
                InitialInstanceCount = serverless ? null : v.Settings.InstanceCount,
                InitialVariantWeight = v.Settings.Weight,
                ServerlessConfig = serverless
                    ? new SagemakerEndpointConfigurationProductionVariantsServerlessConfig { MemorySizeInMb = p.Serverless.MemoryMb, MaxConcurrency = p.Serverless.MaxConcurrency, ProvisionedConcurrency = p.Serverless.ProvisionedConcurrency }
                    : null,
            }).ToArray(),
            DataCaptureConfig = p.CaptureBucket is { } bucket
                ? new SagemakerEndpointConfigurationDataCaptureConfig
                {
                    EnableCapture = true,
                    InitialSamplingPercentage = p.DataCapture.SamplingPercent,
                    DestinationS3Uri = $"s3://{bucket.Name}/{DataLayout.Data.Capture}{p.EndpointName}",
                    KmsKeyId = bucket.EncryptionKey?.Arn,
                    CaptureOptions = new ISagemakerEndpointConfigurationDataCaptureConfigCaptureOptions[]
                    {
                        new SagemakerEndpointConfigurationDataCaptureConfigCaptureOptions { CaptureMode = "Input" },
                        new SagemakerEndpointConfigurationDataCaptureConfigCaptureOptions { CaptureMode = "Output" },
                    },
                    CaptureContentTypeHeader = new SagemakerEndpointConfigurationDataCaptureConfigCaptureContentTypeHeader
                    {
                        CsvContentTypes = ["text/csv"],
                        JsonContentTypes = ["application/json"],
                    },
                }
                : null,
            AsyncInferenceConfig = p.Mode == EndpointMode.Async ? AsyncConfig(p) : null,
            Lifecycle = new TerraformResourceLifecycle { CreateBeforeDestroy = true },
        });
    }

    private SagemakerEndpointConfigurationAsyncInferenceConfig AsyncConfig(ModelEndpointProps p) => new()
    {
        ClientConfig = new SagemakerEndpointConfigurationAsyncInferenceConfigClientConfig { MaxConcurrentInvocationsPerInstance = p.Async.MaxConcurrentInvocationsPerInstance },
        OutputConfig = new SagemakerEndpointConfigurationAsyncInferenceConfigOutputConfig
        {
            S3OutputPath = $"{AsyncPrefix(p)}output/",
            S3FailurePath = $"{AsyncPrefix(p)}failures/",
            KmsKeyId = p.AsyncBucket!.EncryptionKey!.Arn,
            NotificationConfig = new SagemakerEndpointConfigurationAsyncInferenceConfigOutputConfigNotificationConfig
            {
                SuccessTopic = AsyncNotifications!.Success.Arn,
                ErrorTopic = AsyncNotifications.Error.Arn,
            },
        },
    };

    private static SagemakerEndpointDeploymentConfig Deployment(RolloutSettings r, IReadOnlyList<CloudwatchMetricAlarm> rollback) => new()
    {
        BlueGreenUpdatePolicy = new SagemakerEndpointDeploymentConfigBlueGreenUpdatePolicy
        {
            TrafficRoutingConfiguration = new SagemakerEndpointDeploymentConfigBlueGreenUpdatePolicyTrafficRoutingConfiguration
            {
                Type = r.TrafficRoutingType,
                WaitIntervalInSeconds = r.WaitIntervalSeconds,
                CanarySize = r.Strategy == RolloutStrategy.Canary
                    ? new SagemakerEndpointDeploymentConfigBlueGreenUpdatePolicyTrafficRoutingConfigurationCanarySize { Type = "CAPACITY_PERCENT", Value = r.CanaryPercent }
                    : null,
                LinearStepSize = r.Strategy == RolloutStrategy.Linear
                    ? new SagemakerEndpointDeploymentConfigBlueGreenUpdatePolicyTrafficRoutingConfigurationLinearStepSize { Type = "CAPACITY_PERCENT", Value = r.LinearStepPercent }
                    : null,
            },
            TerminationWaitInSeconds = r.TerminationWaitSeconds,
            MaximumExecutionTimeoutInSeconds = r.MaxExecutionTimeoutSeconds,
        },
        AutoRollbackConfiguration = new SagemakerEndpointDeploymentConfigAutoRollbackConfiguration
        {
            Alarms = rollback.Select(a => (ISagemakerEndpointDeploymentConfigAutoRollbackConfigurationAlarms)
                new SagemakerEndpointDeploymentConfigAutoRollbackConfigurationAlarms { AlarmName = a.AlarmName }).ToArray(),
        },
    };
}
