namespace MlopsTf.Constructs.Deployment;

/// <summary>A production variant: its name, instances and share of traffic.</summary>
public sealed record VariantSettings
{
    /// <summary>The single variant of a serverless endpoint, which has no instances of its own.</summary>
    public static readonly VariantSettings Serverless = new() { Name = "AllTraffic", InstanceType = null, InstanceCount = 1 };

    /// <summary>Variant name.</summary>
    public required string Name { get; init; }

    /// <summary>Model version it serves; null serves the endpoint's active version. Default: null.</summary>
    public string? Version { get; init; }

    /// <summary>Instance type; must be in the environment's allow-list. Null only for <see cref="Serverless"/>.</summary>
    public required string? InstanceType { get; init; }

    /// <summary>Initial (and, with autoscaling, minimum) instance count.</summary>
    public required int InstanceCount { get; init; }

    /// <summary>Relative traffic weight. Default: 1.</summary>
    public double Weight { get; init; } = 1;
}
