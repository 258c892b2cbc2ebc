namespace MlopsTf.Constructs.Deployment;

/// <summary>How a new configuration reaches a single-variant real-time endpoint.</summary>
public enum RolloutStrategy
{
    /// <summary>Blue/green: a canary share of capacity first, then the rest, rolled back on alarms.</summary>
    Canary,

    /// <summary>Blue/green: traffic shifted in equal steps, rolled back on alarms.</summary>
    Linear,

    /// <summary>Blue/green: all traffic at once after the new fleet is healthy, rolled back on alarms.</summary>
    AllAtOnce,
}

/// <summary>Blue/green rollout with automatic rollback.</summary>
public sealed record RolloutSettings
{
    /// <summary>Accepted canary sizes, percent of capacity.</summary>
    public static readonly SettingRange CanaryPercentRange = new(1, 50, "start with a small canary, e.g. 10");

    /// <summary>Accepted linear steps, percent of capacity.</summary>
    public static readonly SettingRange LinearStepPercentRange = new(10, 50, "shift e.g. 20 percent per step");

    /// <summary>Accepted baking times between steps.</summary>
    public static readonly SettingRange WaitIntervalSecondsRange = new(0, 3600, "bake for a few minutes, e.g. 300", "seconds");

    /// <summary>Accepted times the old fleet is kept.</summary>
    public static readonly SettingRange TerminationWaitSecondsRange = new(0, 3600, "keep the old fleet for a few minutes, e.g. 300", "seconds");

    /// <summary>Accepted longest deployment times.</summary>
    public static readonly SettingRange MaxExecutionTimeoutSecondsRange = new(600, 14400, "use e.g. 3600", "seconds");

    /// <summary>Traffic shifting. Default: canary.</summary>
    public RolloutStrategy Strategy { get; init; } = RolloutStrategy.Canary;

    /// <summary>Canary share of capacity in percent, 1 to 50. Default: 10.</summary>
    public int CanaryPercent { get; init; } = 10;

    /// <summary>Linear step in percent of capacity, 10 to 50. Default: 20.</summary>
    public int LinearStepPercent { get; init; } = 20;

    /// <summary>Baking time between steps, 0 to 3600 seconds. Default: 300.</summary>
    public int WaitIntervalSeconds { get; init; } = 300;

    /// <summary>Time the old fleet stays after the shift, 0 to 3600 seconds. Default: 300.</summary>
    public int TerminationWaitSeconds { get; init; } = 300;

    /// <summary>Longest the deployment may take, 600 to 14400 seconds. Default: 3600.</summary>
    public int MaxExecutionTimeoutSeconds { get; init; } = 3600;

    /// <summary>SageMaker's name of the strategy (<c>TrafficRoutingConfig.Type</c>).</summary>
    public string TrafficRoutingType => Strategy switch
    {
        RolloutStrategy.Canary => "CANARY",
        RolloutStrategy.Linear => "LINEAR",
        _ => "ALL_AT_ONCE",
    };

    /// <summary>Every setting outside what SageMaker accepts.</summary>
    public IEnumerable<SettingProblem> Problems() =>
    [
        .. CanaryPercentRange.Check(nameof(CanaryPercent), CanaryPercent),
        .. LinearStepPercentRange.Check(nameof(LinearStepPercent), LinearStepPercent),
        .. WaitIntervalSecondsRange.Check(nameof(WaitIntervalSeconds), WaitIntervalSeconds),
        .. TerminationWaitSecondsRange.Check(nameof(TerminationWaitSeconds), TerminationWaitSeconds),
        .. MaxExecutionTimeoutSecondsRange.Check(nameof(MaxExecutionTimeoutSeconds), MaxExecutionTimeoutSeconds),
    ];
}
