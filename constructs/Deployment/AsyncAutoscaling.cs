namespace MlopsTf.Constructs.Deployment;

/// <summary>Props for <see cref="AsyncAutoscaling"/>.</summary>
public sealed record AsyncAutoscalingProps
{
    /// <summary>The asynchronous endpoint.</summary>
    public required SagemakerEndpoint Endpoint { get; init; }

    /// <summary>Endpoint name, prefix included (names of the policies and alarms).</summary>
    public required string EndpointName { get; init; }

    /// <summary>The variant that scales.</summary>
    public required VariantSettings Variant { get; init; }

    /// <summary>How it scales.</summary>
    public required AsyncSettings Settings { get; init; }

    /// <summary>Topic the backlog alarms notify.</summary>
    public required AlertsTopic Alerts { get; init; }
}

/// <summary>
/// Backlog scaling of an asynchronous endpoint's variant, as SageMaker recommends
/// (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html): a scalable target from zero (or one)
/// to the maximum, target tracking on <c>ApproximateBacklogSizePerInstance</c> (published per endpoint, Average), and,
/// when it may scale to zero, a step policy that adds an instance when <c>HasBacklogWithoutCapacity</c> reports queued
/// requests and no instance (target tracking alone would wait until the backlog passed its target).
/// </summary>
public sealed class AsyncAutoscaling : Construct
{
    /// <summary>The scalable target.</summary>
    public AppautoscalingTarget Target { get; }

    /// <summary>The scale-out-from-zero alarm, if the variant scales to zero.</summary>
    public CloudwatchMetricAlarm? FromZeroAlarm { get; }

    /// <summary>Creates the target and policies.</summary>
    public AsyncAutoscaling(Construct scope, string id, AsyncAutoscalingProps props) : base(scope, id)
    {
        var (name, v, s) = (props.EndpointName, props.Variant.Name, props.Settings);
        Target = new AppautoscalingTarget(this, "scaling-target", new AppautoscalingTargetConfig
        {
            ServiceNamespace = "sagemaker",
            ResourceId = VariantScaling.ResourceId(props.Endpoint.Name, v),
            ScalableDimension = VariantScaling.Dimension,
            MinCapacity = s.ScaleToZero ? 0 : 1,
            MaxCapacity = s.MaxInstances,
        });
        var endpointOnly = new Dictionary<string, string> { ["EndpointName"] = name };
        VariantScaling.Policy(this, "backlog-target-tracking", Target, new AppautoscalingPolicyConfig
        {
            Name = $"{name}-{v}-backlog",
            PolicyType = "TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration = new AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration
            {
                TargetValue = s.BacklogPerInstanceTarget,
                CustomizedMetricSpecification = new AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecification
                {
                    Namespace = "AWS/SageMaker",
                    MetricName = "ApproximateBacklogSizePerInstance",
                    Statistic = "Average",
                    Dimensions = new IAppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationDimensions[]
                    {
                        new AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationDimensions { Name = "EndpointName", Value = name },
                    },
                },
                ScaleInCooldown = 600,
                ScaleOutCooldown = 120,
            },
        });
        if (!s.ScaleToZero) return;
        var step = VariantScaling.Policy(this, "scale-out-from-zero", Target, new AppautoscalingPolicyConfig
        {
            Name = $"{name}-{v}-from-zero",
            PolicyType = "StepScaling",
            StepScalingPolicyConfiguration = new AppautoscalingPolicyStepScalingPolicyConfiguration
            {
                AdjustmentType = "ChangeInCapacity",
                Cooldown = 300,
                MetricAggregationType = "Average",
                StepAdjustment = new IAppautoscalingPolicyStepScalingPolicyConfigurationStepAdjustment[]
                {
                    new AppautoscalingPolicyStepScalingPolicyConfigurationStepAdjustment { MetricIntervalLowerBound = "0", ScalingAdjustment = 1 },
                },
            },
        });
        FromZeroAlarm = EndpointAlarms.Add(this, "has-backlog-without-capacity", props.Alerts.Arn,
            MissingData.NotBreaching("SageMaker publishes HasBacklogWithoutCapacity while requests wait with no instance; no datapoint means nothing waits"),
            new CloudwatchMetricAlarmConfig
            {
                AlarmName = $"{name}-{v}-backlog-without-capacity",
                AlarmDescription = $"Requests wait on {name} with no instance running: adds an instance",
                Namespace = "AWS/SageMaker", MetricName = "HasBacklogWithoutCapacity", Dimensions = endpointOnly, Statistic = "Average", Period = 60,
                EvaluationPeriods = 2, DatapointsToAlarm = 2, Threshold = 1, ComparisonOperator = "GreaterThanOrEqualToThreshold",
                AlarmActions = [step.Arn, props.Alerts.Arn],
            });
    }
}
