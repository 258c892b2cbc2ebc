namespace MlopsTf.Constructs.Deployment;

/// <summary>Serverless inference settings. The record's text is part of the endpoint configuration's name.</summary>
public sealed record ServerlessSettings
{
    /// <summary>Accepted memory sizes in MB.</summary>
    public static readonly SettingRange MemoryMbRange = new(1024, 6144, "pick the smallest size the model fits in", Step: 1024);

    /// <summary>Accepted maximum concurrencies.</summary>
    public static readonly SettingRange MaxConcurrencyRange = new(1, 200, "set the concurrent invocations the endpoint may take");

    /// <summary>Memory in MB: 1024 to 6144 in steps of 1024. Default: 2048.</summary>
    public int MemoryMb { get; init; } = 2048;

    /// <summary>Maximum concurrent invocations, 1 to 200. Default: 5.</summary>
    public int MaxConcurrency { get; init; } = 5;

    /// <summary>Provisioned concurrency (at most the maximum); null for none. Default: null.</summary>
    public int? ProvisionedConcurrency { get; init; }

    /// <summary>Every setting outside what SageMaker accepts.</summary>
    public IEnumerable<SettingProblem> Problems()
    {
        foreach (var p in MemoryMbRange.Check(nameof(MemoryMb), MemoryMb)) yield return p;
        foreach (var p in MaxConcurrencyRange.Check(nameof(MaxConcurrency), MaxConcurrency)) yield return p;
        if (ProvisionedConcurrency is { } provisioned && (provisioned < 1 || provisioned > MaxConcurrency))
            yield return new(nameof(ProvisionedConcurrency), provisioned, $"must be between 1 and MaxConcurrency ({MaxConcurrency})", "lower it or leave it null");
    }
}
