namespace MlopsTf.Constructs.Deployment;

/// <summary>Props for <see cref="EndpointAutoscaling"/>.</summary>
public sealed record EndpointAutoscalingProps
{
    /// <summary>The endpoint whose variant scales.</summary>
    public required SagemakerEndpoint Endpoint { get; init; }

    /// <summary>Endpoint name, prefix included (names of the policies and alarms).</summary>
    public required string EndpointName { get; init; }

    /// <summary>The real-time variant; its instance count is the minimum.</summary>
    public required VariantSettings Variant { get; init; }

    /// <summary>How it scales.</summary>
    public required AutoscalingSettings Settings { get; init; }

    /// <summary>Topic the capacity alarms notify.</summary>
    public required AlertsTopic Alerts { get; init; }
}

/// <summary>
/// Autoscaling of one real-time variant: a scalable target from its instance count to the maximum, target tracking on
/// invocations per instance, a CPU step policy with its alarm, an alarm when the variant runs at its maximum and,
/// optionally, off-hours scheduled actions.
/// </summary>
/// <remarks>
/// The resources stood directly in the endpoint's scope (<c>&lt;variant&gt;-&lt;id&gt;</c>, alarms
/// <c>alarm-&lt;variant&gt;-&lt;kind&gt;</c>) before this construct existed; each declares that move, so deployed stacks
/// keep their scaling.
/// </remarks>
public sealed class EndpointAutoscaling : Construct
{
    private readonly IReadOnlyList<string> _endpointPath;
    private readonly string _variant;

    /// <summary>The scalable target.</summary>
    public AppautoscalingTarget Target { get; }

    /// <summary>The CPU and capacity alarms, by id (<c>&lt;variant&gt;-&lt;kind&gt;</c>).</summary>
    public IReadOnlyDictionary<string, CloudwatchMetricAlarm> Alarms { get; }

    /// <summary>Creates the target, policies, alarms and schedule of one variant of the endpoint construct <paramref name="scope"/>.</summary>
    public EndpointAutoscaling(Construct scope, string id, EndpointAutoscalingProps props) : base(scope, id)
    {
        _endpointPath = LogicalIds.BelowStack(scope);
        var (name, v, s) = (props.EndpointName, props.Variant.Name, props.Settings);
        _variant = v;
        Target = Moved(new AppautoscalingTarget(this, "scaling-target", new AppautoscalingTargetConfig
        {
            ServiceNamespace = "sagemaker",
            ResourceId = VariantScaling.ResourceId(props.Endpoint.Name, v),
            ScalableDimension = VariantScaling.Dimension,
            MinCapacity = props.Variant.InstanceCount,
            MaxCapacity = s.MaxInstances,
            // The off-hours schedule moves min/max; without this every apply would undo it.
            Lifecycle = s.ScaleDownOffHours ? new TerraformResourceLifecycle { IgnoreChanges = new[] { "min_capacity", "max_capacity" } } : null,
        }), "scaling-target");
        Policy("invocations-target-tracking", new AppautoscalingPolicyConfig
        {
            Name = $"{name}-{v}-invocations",
            PolicyType = "TargetTrackingScaling",
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
        var step = Policy("cpu-step-scaling", new AppautoscalingPolicyConfig
        {
            Name = $"{name}-{v}-cpu-step",
            PolicyType = "StepScaling",
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
        Alarms = new Dictionary<string, CloudwatchMetricAlarm>
        {
            [$"{v}-cpu-high"] = Moved(CpuAlarm(props, step), "cpu-high", "alarm-"),
            [$"{v}-at-max-capacity"] = Moved(MaxCapacityAlarm(props), "at-max-capacity", "alarm-"),
        };
        if (s.ScaleDownOffHours)
        {
            Schedule(props, "off-hours", s.OffHoursStart, 1, 1);
            Schedule(props, "work-hours", s.WorkHoursStart, props.Variant.InstanceCount, s.MaxInstances);
        }
    }

    /// <summary>Declares that <paramref name="resource"/> stood at <c>&lt;endpoint&gt;/&lt;formerPrefix&gt;&lt;variant&gt;-&lt;id&gt;</c>.</summary>
    private T Moved<T>(T resource, string id, string formerPrefix = "") where T : TerraformResource
    {
        LogicalIds.MovedFrom(resource, _endpointPath, $"{formerPrefix}{_variant}-{id}");
        return resource;
    }

    private AppautoscalingPolicy Policy(string id, AppautoscalingPolicyConfig config) =>
        Moved(VariantScaling.Policy(this, id, Target, config), id);

    private CloudwatchMetricAlarm CpuAlarm(EndpointAutoscalingProps p, AppautoscalingPolicy step)
    {
        var (name, v) = (p.EndpointName, p.Variant.Name);
        // CPUUtilization is the sum over the instance's vCPUs (0 to 100 x vCPUs); the alarm compares the instance's share.
        var vcpus = InstanceTypes.Get(p.Variant.InstanceType!).Vcpus;
        return EndpointAlarms.Add(this, "cpu-high", p.Alerts.Arn,
            MissingData.NotBreaching("instances report CPU every minute; no datapoint means no instance is running, which is not high CPU"),
            new CloudwatchMetricAlarmConfig
            {
                AlarmName = $"{name}-{v}-cpu-high",
                AlarmDescription = $"CPU of {name}/{v} above {p.Settings.ScaleOutCpuPercent} % of its {vcpus} vCPUs on average: adds an instance",
                EvaluationPeriods = 3, Threshold = p.Settings.ScaleOutCpuPercent, ComparisonOperator = "GreaterThanThreshold", AlarmActions = [step.Arn, p.Alerts.Arn],
                MetricQuery = new[]
                {
                    EndpointAlarms.Input("cpu", "/aws/sagemaker/Endpoints", "CPUUtilization", EndpointAlarms.Dimensions(name, v), 60, "Average"),
                    new CloudwatchMetricAlarmMetricQuery
                    {
                        Id = "cpu_share", ReturnData = true, Label = $"CPU (% of {vcpus} vCPUs)",
                        Expression = string.Create(CultureInfo.InvariantCulture, $"cpu / {vcpus}"),
                    },
                },
            });
    }

    private CloudwatchMetricAlarm MaxCapacityAlarm(EndpointAutoscalingProps p)
    {
        var (name, v, max) = (p.EndpointName, p.Variant.Name, p.Settings.MaxInstances);
        var dims = EndpointAlarms.Dimensions(name, v);
        // SageMaker publishes no instance count. Each request adds 1 to Invocations and 1/N to InvocationsPerInstance,
        // so their ratio is the number of instances N serving the variant.
        return EndpointAlarms.Add(this, "at-max-capacity", p.Alerts.Arn,
            MissingData.NotBreaching("without requests the instance count cannot be derived, and an idle variant is not short of capacity"),
            new CloudwatchMetricAlarmConfig
            {
                AlarmName = $"{name}-{v}-at-max-capacity", AlarmDescription = $"{name}/{v} runs at its maximum of {max} instances",
                EvaluationPeriods = 2, Threshold = max, ComparisonOperator = "GreaterThanOrEqualToThreshold",
                MetricQuery = new[]
                {
                    EndpointAlarms.Input("invocations", "AWS/SageMaker", "Invocations", dims, 300, "Sum"),
                    EndpointAlarms.Input("per_instance", "AWS/SageMaker", "InvocationsPerInstance", dims, 300, "Sum"),
                    new CloudwatchMetricAlarmMetricQuery
                    {
                        Id = "instances", ReturnData = true, Label = "instances (Invocations / InvocationsPerInstance)",
                        Expression = "IF(per_instance > 0, invocations / per_instance, 0)",
                    },
                },
            });
    }

    private void Schedule(EndpointAutoscalingProps p, string period, string cron, int min, int max) =>
        Moved(new AppautoscalingScheduledAction(this, period, new AppautoscalingScheduledActionConfig
        {
            Name = $"{p.EndpointName}-{p.Variant.Name}-{period}",
            ServiceNamespace = Target.ServiceNamespace,
            ResourceId = Target.ResourceId,
            ScalableDimension = Target.ScalableDimension,
            Schedule = cron,
            ScalableTargetAction = new AppautoscalingScheduledActionScalableTargetAction
            {
                MinCapacity = min.ToString(CultureInfo.InvariantCulture),
                MaxCapacity = max.ToString(CultureInfo.InvariantCulture),
            },
        }), period);
}
