namespace MlopsTf.Constructs.Deployment;

/// <summary>Model quality monitoring of a real-time endpoint against ground truth.</summary>
public sealed record ModelQualitySettings
{
    private static readonly Regex Offset = new(@"^-P(?:(\d+)D|T(\d+)H)$", RegexOptions.CultureInvariant);

    /// <summary>The schedule SageMaker allows most often, hourly; on it a run may take at most 1800 s.</summary>
    public const string Hourly = "cron(0 * ? * * *)";

    /// <summary>Instance type of the job.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Cron schedule of the job. Default: hourly.</summary>
    public string Schedule { get; init; } = Hourly;

    /// <summary>What the model predicts. Default: binary classification.</summary>
    public ModelProblemType ProblemType { get; init; } = ModelProblemType.BinaryClassification;

    /// <summary>Metric alarmed on; one of <see cref="ModelQualityMetric.For"/> the problem type. Default: auc.</summary>
    public string Metric { get; init; } = "auc";

    /// <summary>Value of <see cref="Metric"/> past which the model has degraded (below it, or above it for error metrics).</summary>
    public required double Threshold { get; init; }

    /// <summary>Where the predicted label is in the endpoint's output (a CSV column index or a JSON path); null if only a probability is.</summary>
    public string? InferenceAttribute { get; init; }

    /// <summary>Where the probability is in the output (binary classification). Default: column 0.</summary>
    public string? ProbabilityAttribute { get; init; } = "0";

    /// <summary>Probability at or above which the prediction is the positive class. Default: 0.5.</summary>
    public double? ProbabilityThreshold { get; init; } = 0.5;

    /// <summary>Start of the window of captured data each run merges with labels, before the run (ISO 8601). Default: -P2D.</summary>
    public string StartTimeOffset { get; init; } = "-P2D";

    /// <summary>End of that window, before the run (labels arrive within it). Default: -P1D.</summary>
    public string EndTimeOffset { get; init; } = "-P1D";

    /// <summary>Longest run in seconds; the merge job and the analysis share it. Default: 1800.</summary>
    public int MaxRuntimeSeconds { get; init; } = 1800;

    /// <summary>Whether the quality alarm starts the retraining pipeline. Default: true.</summary>
    public bool StartsRetraining { get; init; } = true;

    /// <summary>The settings that make up the job definition (a change replaces it), for its name's hash.</summary>
    public string Shape => string.Join("|", InstanceType, ProblemType, InferenceAttribute, ProbabilityAttribute,
        ProbabilityThreshold?.ToString(CultureInfo.InvariantCulture), StartTimeOffset, EndTimeOffset, MaxRuntimeSeconds);

    /// <summary>
    /// Every setting SageMaker's model quality monitor or its metric table would refuse:
    /// https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-schedule.html,
    /// https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_EndpointInput.html
    /// </summary>
    public IEnumerable<SettingProblem> Problems()
    {
        var metrics = ModelQualityMetric.For(ProblemType);
        if (!metrics.Contains(Metric))
            yield return new(nameof(Metric), Metric, $"is not published for {ProblemType}", $"use one of {string.Join(", ", metrics)}");
        if (!double.IsFinite(Threshold))
            yield return new(nameof(Threshold), Threshold, "is not a number", "give the metric value that means degradation, e.g. 0.7");
        if (ProblemType == ModelProblemType.BinaryClassification)
        {
            if (InferenceAttribute is null && ProbabilityAttribute is null)
                yield return new(nameof(InferenceAttribute), "null", "a binary classifier needs InferenceAttribute or ProbabilityAttribute",
                    "name where the label or the probability is in the output, e.g. \"0\"");
            if (ProbabilityAttribute is not null && ProbabilityThreshold is not (> 0 and < 1))
                yield return new(nameof(ProbabilityThreshold), ProbabilityThreshold?.ToString(CultureInfo.InvariantCulture) ?? "null",
                    "must be above 0 and below 1 with ProbabilityAttribute", "use e.g. 0.5");
        }
        else
        {
            if (InferenceAttribute is null)
                yield return new(nameof(InferenceAttribute), "null", $"is required for {ProblemType}", "name where the prediction is in the output, e.g. \"0\"");
            if (ProbabilityAttribute is not null || ProbabilityThreshold is not null)
                yield return new(nameof(ProbabilityAttribute), ProbabilityAttribute ?? "null", "applies to binary classification only",
                    $"set ProbabilityAttribute and ProbabilityThreshold to null for {ProblemType}");
        }
        var start = Hours(StartTimeOffset);
        var end = Hours(EndTimeOffset);
        if (start is null)
            yield return new(nameof(StartTimeOffset), StartTimeOffset, "is not a negative ISO 8601 duration in days or hours", "use e.g. -P2D or -PT36H");
        if (end is null)
            yield return new(nameof(EndTimeOffset), EndTimeOffset, "is not a negative ISO 8601 duration in days or hours", "use e.g. -P1D or -PT24H");
        if (start is { } s && end is { } e && s <= e)
            yield return new(nameof(StartTimeOffset), StartTimeOffset, $"must reach further back than EndTimeOffset ({EndTimeOffset}); the window runs from start to end",
                "use e.g. -P2D with -P1D");
        var hourly = Schedule == Hourly;
        var limit = hourly ? 1800 : 86_400;
        if (MaxRuntimeSeconds < 1 || MaxRuntimeSeconds > limit)
            yield return new(nameof(MaxRuntimeSeconds), MaxRuntimeSeconds,
                $"must be between 1 and {limit}{(hourly ? " on an hourly schedule (the merge job and the analysis share the hour)" : "")}", "use e.g. 1800");
    }

    private static int? Hours(string offset) =>
        Offset.Match(offset) is { Success: true } m
            ? m.Groups[1].Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 24 : int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)
            : null;
}
