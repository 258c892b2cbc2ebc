using HashiCorp.Cdktf.Providers.Aws.AppautoscalingPolicy;
using HashiCorp.Cdktf.Providers.Aws.AppautoscalingScheduledAction;
using HashiCorp.Cdktf.Providers.Aws.AppautoscalingTarget;
using HashiCorp.Cdktf.Providers.Aws.CloudwatchMetricAlarm;
using HashiCorp.Cdktf.Providers.Aws.SagemakerEndpoint;
using HashiCorp.Cdktf.Providers.Aws.SagemakerEndpointConfiguration;
using HashiCorp.Cdktf.Providers.Aws.SagemakerModel;

namespace MlopsTf.Constructs.Deployment;

/// <summary>A production variant of a release.</summary>
/// <param name="Name">Variant name.</param>
/// <param name="Model">The SageMaker model it serves.</param>
/// <param name="Version">The model version label (for naming and tests).</param>
/// <param name="InstanceType">Instance type (real-time only).</param>
/// <param name="InstanceCount">Instance count (real-time only).</param>
/// <param name="Weight">Traffic weight.</param>
/// <param name="ModelIdentity">What makes the model what it is (image and archive); part of the configuration's name.</param>
public sealed record EndpointVariant(string Name, SagemakerModel Model, string Version, string? InstanceType, int InstanceCount, double Weight, string ModelIdentity = "");

/// <summary>A set of variants that becomes one immutable endpoint configuration.</summary>
/// <param name="Label">Release label, normally the model version.</param>
/// <param name="Variants">Its variants.</param>
public sealed record EndpointRelease(string Label, IReadOnlyList<EndpointVariant> Variants);

/// <summary>Serverless settings.</summary>
/// <param name="MemoryMb">Memory in MB.</param>
/// <param name="MaxConcurrency">Maximum concurrency.</param>
/// <param name="ProvisionedConcurrency">Provisioned concurrency or null.</param>
public sealed record ServerlessSettings(int MemoryMb, int MaxConcurrency, int? ProvisionedConcurrency);

/// <summary>Blue/green traffic shifting.</summary>
/// <param name="Type"><c>CANARY</c>, <c>LINEAR</c> or <c>ALL_AT_ONCE</c>.</param>
/// <param name="StepPercent">Canary size or linear step, percent of capacity.</param>
/// <param name="WaitIntervalSeconds">Baking time between steps.</param>
/// <param name="TerminationWaitSeconds">Time the old fleet is kept.</param>
/// <param name="MaxExecutionTimeoutSeconds">Longest the deployment may take.</param>
public sealed record RolloutSettings(string Type, int StepPercent, int WaitIntervalSeconds, int TerminationWaitSeconds, int MaxExecutionTimeoutSeconds);

/// <summary>Autoscaling of each real-time variant.</summary>
/// <param name="MaxInstances">Most instances.</param>
/// <param name="TargetInvocationsPerInstance">Target tracking value.</param>
/// <param name="ScaleOutCpuPercent">CPU percent of the step policy's alarm.</param>
/// <param name="OffHours">Off-hours start and work-hours start crons; null to stay up.</param>
public sealed record AutoscalingSettings(int MaxInstances, int TargetInvocationsPerInstance, int ScaleOutCpuPercent, (string Start, string End)? OffHours);

/// <summary>Props for <see cref="ModelEndpoint"/>.</summary>
public sealed record ModelEndpointProps
{
    /// <summary>Prefix of names, e.g. <c>mlopstf-prod</c>.</summary>
    public required string NamePrefix { get; init; }

    /// <summary>Endpoint name without the prefix.</summary>
    public required string EndpointName { get; init; }

    /// <summary>Retained releases; each stays defined as an endpoint configuration so that rollback is a swap.</summary>
    public required IReadOnlyList<EndpointRelease> Releases { get; init; }

    /// <summary>Label of the release the endpoint serves.</summary>
    public required string ActiveRelease { get; init; }

    /// <summary>Serverless settings; null for real-time.</summary>
    public ServerlessSettings? Serverless { get; init; }

    /// <summary>Blue/green rollout with automatic rollback; null updates without traffic shifting.</summary>
    public RolloutSettings? Rollout { get; init; }

    /// <summary>Autoscaling of real-time variants; null keeps counts fixed.</summary>
    public AutoscalingSettings? Autoscaling { get; init; }

    /// <summary>Key of the endpoint's storage volumes.</summary>
    public required CustomerManagedKey VolumeKey { get; init; }

    /// <summary>Bucket receiving captured requests and responses; null disables capture.</summary>
    public SecureBucket? CaptureBucket { get; init; }

    /// <summary>Share of requests captured, percent.</summary>
    public int CaptureSamplingPercent { get; init; } = 20;

    /// <summary>p95 model latency alarm threshold in milliseconds.</summary>
    public required int LatencyP95Ms { get; init; }

    /// <summary>5XX and model error rate alarm threshold in percent.</summary>
    public required double ErrorRatePercent { get; init; }

    /// <summary>Alarm when no invocations arrive for 15 minutes (for endpoints with requests around the clock). Default: false.</summary>
    public bool TrafficExpected { get; init; }

    /// <summary>Topic the alarms notify.</summary>
    public required string AlertsTopicArn { get; init; }

    /// <summary>Extra tags on the endpoint (e.g. the nightly-cleanup opt-in). Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A SageMaker endpoint with one immutable, KMS-encrypted endpoint configuration per retained release (data capture
/// of input and output to the data bucket), blue/green canary or linear rollout with automatic rollback on the alarms
/// this construct creates (wired by reference), autoscaling (target tracking on invocations per instance, a CPU step
/// policy, off-hours scheduled actions) and latency, error-rate, traffic and capacity alarms to the alerts topic.
/// </summary>
public sealed class ModelEndpoint : Construct
{
    /// <summary>The endpoint.</summary>
    public SagemakerEndpoint Endpoint { get; }

    /// <summary>Endpoint configurations by release label.</summary>
    public IReadOnlyDictionary<string, SagemakerEndpointConfiguration> Configurations { get; }

    /// <summary>The alarms that roll a deployment back.</summary>
    public IReadOnlyList<CloudwatchMetricAlarm> RollbackAlarms { get; }

    /// <summary>Every alarm of the endpoint, by construct id.</summary>
    public IReadOnlyDictionary<string, CloudwatchMetricAlarm> Alarms => _alarms;

    /// <summary>Endpoint name.</summary>
    public string Name { get; }

    private readonly Dictionary<string, CloudwatchMetricAlarm> _alarms = new();

    /// <summary>Creates the configurations, alarms, endpoint and autoscaling.</summary>
    public ModelEndpoint(Construct scope, string id, ModelEndpointProps props) : base(scope, id)
    {
        Validate(props);
        Name = $"{props.NamePrefix}-{props.EndpointName}";
        Configurations = props.Releases.ToDictionary(r => r.Label, r => Configuration(props, r));
        var active = props.Releases.Single(r => r.Label == props.ActiveRelease);

        var rollback = new List<CloudwatchMetricAlarm>();
        foreach (var variant in active.Variants)
        {
            var dims = new Dictionary<string, string> { ["EndpointName"] = Name, ["VariantName"] = variant.Name };
            var v = variant.Name;
            rollback.Add(Alarm($"{v}-latency-p95", props, NoRequestsIsHealthy, new CloudwatchMetricAlarmConfig
            {
                AlarmName = $"{Name}-{v}-latency-p95", AlarmDescription = $"p95 model latency of {Name}/{v} above {props.LatencyP95Ms} ms",
                // ModelLatency is published in microseconds.
                Namespace = "AWS/SageMaker", MetricName = "ModelLatency", Dimensions = dims, ExtendedStatistic = "p95", Period = 60,
                EvaluationPeriods = 3, DatapointsToAlarm = 3, Threshold = props.LatencyP95Ms * 1000.0, ComparisonOperator = "GreaterThanThreshold",
            }));
            rollback.Add(RateAlarm($"{v}-5xx-rate", $"{Name}-{v}-5xx-rate", "Invocation5XXErrors", dims, props));
            // Serverless endpoints do not publish InvocationModelErrors.
            if (props.Serverless is null)
                rollback.Add(RateAlarm($"{v}-model-error-rate", $"{Name}-{v}-model-error-rate", "InvocationModelErrors", dims, props));
            if (props.TrafficExpected)
            {
                Alarm($"{v}-no-invocations", props,
                    MissingData.Breaching("SageMaker publishes Invocations only for requests, so a period without requests has no datapoint and is what this alarm reports"),
                    new CloudwatchMetricAlarmConfig
                    {
                        AlarmName = $"{Name}-{v}-no-invocations", AlarmDescription = $"{Name}/{v} received no invocations for 15 minutes (traffic is expected around the clock)",
                        Namespace = "AWS/SageMaker", MetricName = "Invocations", Dimensions = dims, Statistic = "Sum", Period = 300,
                        EvaluationPeriods = 3, Threshold = 1, ComparisonOperator = "LessThanThreshold",
                    });
            }
        }
        RollbackAlarms = rollback;

        Endpoint = new SagemakerEndpoint(this, "endpoint", new SagemakerEndpointConfig
        {
            Name = Name,
            EndpointConfigName = Configurations[props.ActiveRelease].Name,
            DeploymentConfig = props.Rollout is { } r ? Deployment(r, rollback) : null,
            Tags = props.Tags.Count > 0 ? new Dictionary<string, string>(props.Tags) : null,
        });

        if (props.Autoscaling is { } scaling)
            foreach (var variant in active.Variants) Autoscale(variant, scaling, props);
    }

    private static void Validate(ModelEndpointProps p)
    {
        if (p.Releases.Count == 0)
            throw new ArgumentException($"ModelEndpointProps.Releases is empty for endpoint {p.EndpointName}: retain at least the active release.");
        if (p.Releases.All(r => r.Label != p.ActiveRelease))
            throw new ArgumentException($"ModelEndpointProps.ActiveRelease = \"{p.ActiveRelease}\" for endpoint {p.EndpointName} is not a retained release ({string.Join(", ", p.Releases.Select(r => r.Label))}).");
        foreach (var r in p.Releases)
        {
            if (r.Variants.Count == 0)
                throw new ArgumentException($"EndpointRelease \"{r.Label}\" of endpoint {p.EndpointName} has no variants.");
            if (p.Serverless is not null && r.Variants.Count != 1)
                throw new ArgumentException($"EndpointRelease \"{r.Label}\" of serverless endpoint {p.EndpointName} has {r.Variants.Count} variants: serverless endpoints have exactly one.");
            if (p.Serverless is null && r.Variants.Any(v => v.InstanceType is null || v.InstanceCount < 1))
                throw new ArgumentException($"EndpointRelease \"{r.Label}\" of real-time endpoint {p.EndpointName} has a variant without instance type or count.");
        }
        if (p.Serverless is not null && (p.Rollout is not null || p.Autoscaling is not null || p.CaptureBucket is not null))
            throw new ArgumentException($"ModelEndpointProps for serverless endpoint {p.EndpointName}: Rollout, Autoscaling and CaptureBucket apply to real-time endpoints only.");
        if (p.Rollout is { Type: "CANARY" or "LINEAR", StepPercent: < 1 or > 50 } rollout)
            throw new ArgumentException($"RolloutSettings.StepPercent = {rollout.StepPercent} for endpoint {p.EndpointName}: canary and linear steps are 1 to 50 percent.");
        if (p.Rollout is { Type: not ("CANARY" or "LINEAR" or "ALL_AT_ONCE") } unknown)
            throw new ArgumentException($"RolloutSettings.Type = \"{unknown.Type}\" for endpoint {p.EndpointName}: use CANARY, LINEAR or ALL_AT_ONCE.");
        if (p.CaptureSamplingPercent is < 1 or > 100)
            throw new ArgumentException($"ModelEndpointProps.CaptureSamplingPercent = {p.CaptureSamplingPercent} for endpoint {p.EndpointName}: use 1 to 100.");
    }

    private SagemakerEndpointConfiguration Configuration(ModelEndpointProps p, EndpointRelease release)
    {
        // Everything that shapes the configuration goes into the name, so any change is a new immutable configuration
        // created before the old one is destroyed.
        var shape = string.Join(";", release.Variants.Select(v => $"{v.Name}:{v.Version}:{v.ModelIdentity}:{v.InstanceType}:{v.InstanceCount}:{v.Weight}"))
            + $"|{p.Serverless}|{(p.CaptureBucket is null ? 0 : p.CaptureSamplingPercent)}";
        var hash = DeployableModel.ShortHash(shape);
        var name = ConfigurationName(p.NamePrefix, p.EndpointName, release.Label, hash);
        if (name.Length > 63)
            throw new ArgumentException($"Endpoint configuration name \"{name}\" is {name.Length} characters; SageMaker allows 63: shorten the endpoint name or the version label.");
        return new SagemakerEndpointConfiguration(this, $"configuration-{release.Label}", new SagemakerEndpointConfigurationConfig
        {
            Name = name,
            // Serverless: SageMaker encrypts its copy of the image with it. Instance storage is encrypted by the instance's
            // own hardware, and CreateEndpointConfig refuses a key for such types.
            KmsKeyArn = release.Variants.Any(v => v.InstanceType is { } type && InstanceTypes.HasInstanceStorage(type)) ? null : p.VolumeKey.Arn,
            ProductionVariants = release.Variants.Select(v => (ISagemakerEndpointConfigurationProductionVariants)new SagemakerEndpointConfigurationProductionVariants
            {
                VariantName = v.Name,
                ModelName = v.Model.Name,
                InstanceType = p.Serverless is null ? v.InstanceType : null,
                InitialInstanceCount = p.Serverless is null ? v.InstanceCount : null,
                InitialVariantWeight = v.Weight,
                ServerlessConfig = p.Serverless is { } s
                    ? new SagemakerEndpointConfigurationProductionVariantsServerlessConfig { MemorySizeInMb = s.MemoryMb, MaxConcurrency = s.MaxConcurrency, ProvisionedConcurrency = s.ProvisionedConcurrency }
                    : null,
            }).ToArray(),
            DataCaptureConfig = p.CaptureBucket is { } bucket
                ? new SagemakerEndpointConfigurationDataCaptureConfig
                {
                    EnableCapture = true,
                    InitialSamplingPercentage = p.CaptureSamplingPercent,
                    DestinationS3Uri = $"s3://{bucket.Name}/capture/{p.EndpointName}",
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
            Lifecycle = new TerraformResourceLifecycle { CreateBeforeDestroy = true },
        });
    }

    /// <summary>The name of a release's endpoint configuration: <c>&lt;prefix&gt;-&lt;endpoint&gt;-&lt;label&gt;-&lt;6-hex hash&gt;</c>.</summary>
    public static string ConfigurationName(string prefix, string endpoint, string label, string hash) =>
        $"{prefix}-{endpoint}-{DeployableModel.Sanitize(label)}-{hash}";

    private static SagemakerEndpointDeploymentConfig Deployment(RolloutSettings r, IReadOnlyList<CloudwatchMetricAlarm> rollback) => new()
    {
        BlueGreenUpdatePolicy = new SagemakerEndpointDeploymentConfigBlueGreenUpdatePolicy
        {
            TrafficRoutingConfiguration = new SagemakerEndpointDeploymentConfigBlueGreenUpdatePolicyTrafficRoutingConfiguration
            {
                Type = r.Type,
                WaitIntervalInSeconds = r.WaitIntervalSeconds,
                CanarySize = r.Type == "CANARY"
                    ? new SagemakerEndpointDeploymentConfigBlueGreenUpdatePolicyTrafficRoutingConfigurationCanarySize { Type = "CAPACITY_PERCENT", Value = r.StepPercent }
                    : null,
                LinearStepSize = r.Type == "LINEAR"
                    ? new SagemakerEndpointDeploymentConfigBlueGreenUpdatePolicyTrafficRoutingConfigurationLinearStepSize { Type = "CAPACITY_PERCENT", Value = r.StepPercent }
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

    private static readonly MissingData NoRequestsIsHealthy =
        MissingData.NotBreaching("without requests SageMaker publishes no invocation metrics, and an endpoint that serves nothing is not failing");

    private CloudwatchMetricAlarm Alarm(string id, ModelEndpointProps p, MissingData missing, CloudwatchMetricAlarmConfig config)
    {
        config.ActionsEnabled = true;
        config.AlarmActions ??= [p.AlertsTopicArn];
        config.OkActions ??= [p.AlertsTopicArn];
        config.TreatMissingData = missing.Treatment;
        config.AlarmDescription = missing.Describe(config.AlarmDescription!);
        return _alarms[id] = new CloudwatchMetricAlarm(this, $"alarm-{id}", config);
    }

    private CloudwatchMetricAlarm RateAlarm(string id, string name, string errorMetric, Dictionary<string, string> dims, ModelEndpointProps p)
    {
        ICloudwatchMetricAlarmMetricQuery Metric(string queryId, string metric) => new CloudwatchMetricAlarmMetricQuery
        {
            Id = queryId,
            ReturnData = false,
            Metric = new CloudwatchMetricAlarmMetricQueryMetric { Namespace = "AWS/SageMaker", MetricName = metric, Dimensions = dims, Period = 60, Stat = "Sum" },
        };
        return Alarm(id, p, NoRequestsIsHealthy, new CloudwatchMetricAlarmConfig
        {
            AlarmName = name,
            AlarmDescription = $"{errorMetric} above {p.ErrorRatePercent} % of invocations on {dims["EndpointName"]}/{dims["VariantName"]}",
            ComparisonOperator = "GreaterThanThreshold",
            EvaluationPeriods = 3,
            DatapointsToAlarm = 2,
            Threshold = p.ErrorRatePercent,
            MetricQuery = new[]
            {
                Metric("errors", errorMetric),
                Metric("invocations", "Invocations"),
                new CloudwatchMetricAlarmMetricQuery { Id = "rate", Expression = "IF(invocations > 0, 100 * errors / invocations, 0)", Label = "error rate (%)", ReturnData = true },
            },
        });
    }

    private void Autoscale(EndpointVariant variant, AutoscalingSettings s, ModelEndpointProps p)
    {
        var v = variant.Name;
        var resourceId = $"endpoint/{Endpoint.Name}/variant/{v}";
        const string dimension = "sagemaker:variant:DesiredInstanceCount";
        var target = new AppautoscalingTarget(this, $"{v}-scaling-target", new AppautoscalingTargetConfig
        {
            ServiceNamespace = "sagemaker",
            ResourceId = resourceId,
            ScalableDimension = dimension,
            MinCapacity = variant.InstanceCount,
            MaxCapacity = s.MaxInstances,
            // The off-hours schedule moves min/max; without this every apply would undo it.
            Lifecycle = s.OffHours is null ? null : new TerraformResourceLifecycle { IgnoreChanges = new[] { "min_capacity", "max_capacity" } },
        });
        new AppautoscalingPolicy(this, $"{v}-invocations-target-tracking", new AppautoscalingPolicyConfig
        {
            Name = $"{Name}-{v}-invocations",
            PolicyType = "TargetTrackingScaling",
            ServiceNamespace = target.ServiceNamespace,
            ResourceId = target.ResourceId,
            ScalableDimension = target.ScalableDimension,
            TargetTrackingScalingPolicyConfiguration = new AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration
            {
                TargetValue = s.TargetInvocationsPerInstance,
                PredefinedMetricSpecification = new AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification
                {
                    PredefinedMetricType = "SageMakerVariantInvocationsPerInstance",
                },
                ScaleInCooldown = 300,
                ScaleOutCooldown = 60,
            },
        });
        var step = new AppautoscalingPolicy(this, $"{v}-cpu-step-scaling", new AppautoscalingPolicyConfig
        {
            Name = $"{Name}-{v}-cpu-step",
            PolicyType = "StepScaling",
            ServiceNamespace = target.ServiceNamespace,
            ResourceId = target.ResourceId,
            ScalableDimension = target.ScalableDimension,
            StepScalingPolicyConfiguration = new AppautoscalingPolicyStepScalingPolicyConfiguration
            {
                AdjustmentType = "ChangeInCapacity",
                Cooldown = 120,
                MetricAggregationType = "Average",
                StepAdjustment = new IAppautoscalingPolicyStepScalingPolicyConfigurationStepAdjustment[]
                {
                    new AppautoscalingPolicyStepScalingPolicyConfigurationStepAdjustment { MetricIntervalLowerBound = "0", ScalingAdjustment = 1 },
                },
            },
        });
        var dims = new Dictionary<string, string> { ["EndpointName"] = Name, ["VariantName"] = v };
        // CPUUtilization is the sum over the instance's vCPUs (0 to 100 x vCPUs); the alarm compares the instance's share.
        var vcpus = InstanceTypes.Get(variant.InstanceType!).Vcpus;
        Alarm($"{v}-cpu-high", p, MissingData.NotBreaching("instances report CPU every minute; no datapoint means no instance is running, which is not high CPU"),
            new CloudwatchMetricAlarmConfig
            {
                AlarmName = $"{Name}-{v}-cpu-high",
                AlarmDescription = $"CPU of {Name}/{v} above {s.ScaleOutCpuPercent} % of its {vcpus} vCPUs on average: adds an instance",
                EvaluationPeriods = 3, Threshold = s.ScaleOutCpuPercent, ComparisonOperator = "GreaterThanThreshold", AlarmActions = [step.Arn, p.AlertsTopicArn],
                MetricQuery = new[]
                {
                    new CloudwatchMetricAlarmMetricQuery
                    {
                        Id = "cpu", ReturnData = false,
                        Metric = new CloudwatchMetricAlarmMetricQueryMetric { Namespace = "/aws/sagemaker/Endpoints", MetricName = "CPUUtilization", Dimensions = dims, Period = 60, Stat = "Average" },
                    },
                    new CloudwatchMetricAlarmMetricQuery
                    {
                        Id = "cpu_share", ReturnData = true, Label = $"CPU (% of {vcpus} vCPUs)",
                        Expression = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"cpu / {vcpus}"),
                    },
                },
            });
        // SageMaker publishes no instance count. Each request adds 1 to Invocations and 1/N to InvocationsPerInstance,
        // so their ratio is the number of instances N serving the variant.
        Alarm($"{v}-at-max-capacity", p, MissingData.NotBreaching("without requests the instance count cannot be derived, and an idle variant is not short of capacity"),
            new CloudwatchMetricAlarmConfig
            {
                AlarmName = $"{Name}-{v}-at-max-capacity", AlarmDescription = $"{Name}/{v} runs at its maximum of {s.MaxInstances} instances",
                EvaluationPeriods = 2, Threshold = s.MaxInstances, ComparisonOperator = "GreaterThanOrEqualToThreshold",
                MetricQuery = new[]
                {
                    new CloudwatchMetricAlarmMetricQuery
                    {
                        Id = "invocations", ReturnData = false,
                        Metric = new CloudwatchMetricAlarmMetricQueryMetric { Namespace = "AWS/SageMaker", MetricName = "Invocations", Dimensions = dims, Period = 300, Stat = "Sum" },
                    },
                    new CloudwatchMetricAlarmMetricQuery
                    {
                        Id = "per_instance", ReturnData = false,
                        Metric = new CloudwatchMetricAlarmMetricQueryMetric { Namespace = "AWS/SageMaker", MetricName = "InvocationsPerInstance", Dimensions = dims, Period = 300, Stat = "Sum" },
                    },
                    new CloudwatchMetricAlarmMetricQuery
                    {
                        Id = "instances", ReturnData = true, Label = "instances (Invocations / InvocationsPerInstance)",
                        Expression = "IF(per_instance > 0, invocations / per_instance, 0)",
                    },
                },
            });
        if (s.OffHours is { } hours)
        {
            new AppautoscalingScheduledAction(this, $"{v}-off-hours", new AppautoscalingScheduledActionConfig
            {
                Name = $"{Name}-{v}-off-hours",
                ServiceNamespace = target.ServiceNamespace,
                ResourceId = target.ResourceId,
                ScalableDimension = target.ScalableDimension,
                Schedule = hours.Start,
                ScalableTargetAction = new AppautoscalingScheduledActionScalableTargetAction { MinCapacity = "1", MaxCapacity = "1" },
            });
            new AppautoscalingScheduledAction(this, $"{v}-work-hours", new AppautoscalingScheduledActionConfig
            {
                Name = $"{Name}-{v}-work-hours",
                ServiceNamespace = target.ServiceNamespace,
                ResourceId = target.ResourceId,
                ScalableDimension = target.ScalableDimension,
                Schedule = hours.End,
                ScalableTargetAction = new AppautoscalingScheduledActionScalableTargetAction
                {
                    MinCapacity = variant.InstanceCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    MaxCapacity = s.MaxInstances.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            });
        }
    }
}
