namespace MlopsTf.Constructs.Deployment;

/// <summary>Autoscaling of a real-time variant.</summary>
public sealed record AutoscalingSettings
{
    /// <summary>Accepted CPU percentages of the step policy's alarm.</summary>
    public static readonly SettingRange ScaleOutCpuPercentRange = new(1, 100, "use e.g. 70");

    /// <summary>Accepted target invocations per instance per minute.</summary>
    public static readonly SettingRange TargetInvocationsPerInstanceRange = new(1, int.MaxValue, "set the invocations per instance per minute to hold");

    /// <summary>Most instances; at most the environment's maximum.</summary>
    public required int MaxInstances { get; init; }

    /// <summary>Invocations per instance per minute that target tracking holds. Default: 100.</summary>
    public int TargetInvocationsPerInstance { get; init; } = 100;

    /// <summary>CPU percent above which a step policy adds instances. Default: 70.</summary>
    public int ScaleOutCpuPercent { get; init; } = 70;

    /// <summary>Scale down to one instance outside working hours (dev/staging). Default: false.</summary>
    public bool ScaleDownOffHours { get; init; }

    /// <summary>Cron (UTC) at which off-hours begin. Default: 19:00 on weekdays.</summary>
    public string OffHoursStart { get; init; } = "cron(0 19 ? * MON-FRI *)";

    /// <summary>Cron (UTC) at which working hours begin. Default: 07:00 on weekdays.</summary>
    public string WorkHoursStart { get; init; } = "cron(0 7 ? * MON-FRI *)";

    /// <summary>Every setting outside what Application Auto Scaling accepts.</summary>
    public IEnumerable<SettingProblem> Problems() =>
    [
        .. TargetInvocationsPerInstanceRange.Check(nameof(TargetInvocationsPerInstance), TargetInvocationsPerInstance),
        .. ScaleOutCpuPercentRange.Check(nameof(ScaleOutCpuPercent), ScaleOutCpuPercent),
    ];
}
