using MlopsTf.Constructs.Policies.ServiceRules;

namespace MlopsTf.Constructs.Policies;

/// <summary>The AWS service rules, in id order; <see cref="PolicyPack"/> evaluates them with the security rules.</summary>
public static class ServicePack
{
    /// <summary>The rules.</summary>
    public static IReadOnlyList<ServiceRule> Rules { get; } =
    [
        new IamActionExistsRule(), new IamStarOnlyActionRule(), new IamResourceTypeRule(),
        new ServerlessModelVpcRule(), new ServerlessModelIsolationRule(), new ServerlessDataCaptureRule(), new ServerlessVariantsRule(),
        new ServerlessConfigLimitsRule(), new ServerlessModelMonitorRule(), new ServerlessAutoscalingRule(),
        new GuardrailStepSizeRule(), new GuardrailTimingRule(), new GuardrailSingleVariantRule(), new GuardrailVariantNamesRule(),
        new RollbackAlarmsRule(), new AutoscalingTargetRule(), new ScheduledScalingRule(), new TargetTrackingMetricRule(),
        new HostingInstanceTypeRule(), new TrainingInstanceTypeRule(), new ProcessingInstanceTypeRule(), new EndpointKmsInstanceStorageRule(),
        new AlarmMetricExistsRule(), new AlarmDimensionsRule(), new ServerlessAlarmMetricsRule(), new AlarmPeriodRule(),
        new AlarmMissingDataRule(), new EndpointCpuAlarmRule(), new TrainingMetricDefinitionsRule(), new TrainingChannelsRule(),
        new TrainingStoppingConditionRule(), new RegisteredImageRule(), new EcrLifecyclePolicyRule(), new EcrDeployedTagProtectedRule(),
        new GlueEventStatesRule(), new IamInlinePolicySizeRule(),
    ];
}
