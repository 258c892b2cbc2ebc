namespace MlopsTf.Constructs.Deployment;

/// <summary>Asynchronous inference of an endpoint (<see cref="EndpointMode.Async"/>): concurrency and backlog scaling.</summary>
public sealed record AsyncSettings
{
    /// <summary>Accepted concurrent invocations per instance (AsyncInferenceClientConfig).</summary>
    public static readonly SettingRange ConcurrencyRange = new(1, 1000, "use e.g. 4");

    /// <summary>Requests one instance works on at once. Default: 4.</summary>
    public int MaxConcurrentInvocationsPerInstance { get; init; } = 4;

    /// <summary>Most instances the backlog may scale to. Default: 2.</summary>
    public int MaxInstances { get; init; } = 2;

    /// <summary>Whether the variant scales in to no instances while the queue is empty (then out again on the first request). Default: true.</summary>
    public bool ScaleToZero { get; init; } = true;

    /// <summary>Queued requests per instance that target tracking holds (ApproximateBacklogSizePerInstance). Default: 5.</summary>
    public double BacklogPerInstanceTarget { get; init; } = 5;

    /// <summary>Age in seconds of the oldest queued request above which the backlog alarm fires. Default: 900.</summary>
    public int OldestRequestAlarmSeconds { get; init; } = 900;

    /// <summary>The settings that shape the endpoint configuration, for its name's hash.</summary>
    public string Shape => $"async:{MaxConcurrentInvocationsPerInstance}";

    /// <summary>Every setting SageMaker or Application Auto Scaling would refuse.</summary>
    public IEnumerable<SettingProblem> Problems()
    {
        foreach (var p in ConcurrencyRange.Check(nameof(MaxConcurrentInvocationsPerInstance), MaxConcurrentInvocationsPerInstance)) yield return p;
        if (MaxInstances < 1)
            yield return new(nameof(MaxInstances), MaxInstances, "must be at least 1", "let the backlog scale to at least one instance");
        if (!(BacklogPerInstanceTarget > 0) || !double.IsFinite(BacklogPerInstanceTarget))
            yield return new(nameof(BacklogPerInstanceTarget), BacklogPerInstanceTarget, "must be a positive number", "use e.g. 5 queued requests per instance");
        if (OldestRequestAlarmSeconds < 60)
            yield return new(nameof(OldestRequestAlarmSeconds), OldestRequestAlarmSeconds, "must be at least 60", "alarm when a request has waited e.g. 900 s");
    }
}
