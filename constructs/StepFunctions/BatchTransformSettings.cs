namespace MlopsTf.Constructs.StepFunctions;

/// <summary>
/// A batch transform after registration: the pipeline scores every file under <see cref="InputPrefix"/> of the data
/// bucket with the model it just registered, into <c>batch-transform/output/&lt;execution&gt;/</c>.
/// </summary>
public sealed record BatchTransformSettings
{
    /// <summary>Split types CreateTransformJob accepts (<c>TransformInput.SplitType</c>).</summary>
    public static readonly IReadOnlyList<string> SplitTypes = ["None", "Line", "RecordIO", "TFRecord"];

    /// <summary>Instance type of the transform job (TransformInstanceType: no ml.t* types).</summary>
    public required string InstanceType { get; init; }

    /// <summary>Instances of the job (1 to 100). Default: 1.</summary>
    public int InstanceCount { get; init; } = 1;

    /// <summary>Key prefix in the data bucket holding the records to score. Default: <c>batch-transform/input/</c>.</summary>
    public string InputPrefix { get; init; } = DataLayout.Data.BatchTransformInput;

    /// <summary>MIME type of the input. Default: <c>text/csv</c>.</summary>
    public string ContentType { get; init; } = "text/csv";

    /// <summary>How a file splits into records (None, Line, RecordIO, TFRecord). Default: Line.</summary>
    public string SplitType { get; init; } = "Line";

    /// <summary>Largest mini-batch in MB sent to the container (0 to 100; 0 streams). Default: 6.</summary>
    public int MaxPayloadMb { get; init; } = 6;

    /// <summary>How long the pipeline waits for the job, in seconds. Default: 2 hours.</summary>
    public int TimeoutSeconds { get; init; } = 7200;

    /// <summary>
    /// Every setting CreateTransformJob would refuse
    /// (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTransformJob.html).
    /// </summary>
    public IEnumerable<SettingProblem> Problems()
    {
        if (InstanceType.StartsWith("ml.t", StringComparison.Ordinal))
            yield return new(nameof(InstanceType), InstanceType, "is not a transform instance type (TransformInstanceType has no ml.t* types)", "use e.g. ml.m5.large");
        if (InstanceCount is < 1 or > 100)
            yield return new(nameof(InstanceCount), InstanceCount, "must be between 1 and 100", "use e.g. 1");
        if (!SplitTypes.Contains(SplitType))
            yield return new(nameof(SplitType), SplitType, "is not a split type", $"use one of {string.Join(", ", SplitTypes)}");
        if (MaxPayloadMb is < 0 or > 100)
            yield return new(nameof(MaxPayloadMb), MaxPayloadMb, "must be between 0 and 100", "use e.g. 6");
        if (InputPrefix.StartsWith('/') || !InputPrefix.EndsWith('/') || InputPrefix.StartsWith(DataLayout.Data.BatchTransformOutput, StringComparison.Ordinal))
            yield return new(nameof(InputPrefix), InputPrefix, "is not a relative key prefix ending in '/' outside the output prefix", $"use e.g. {DataLayout.Data.BatchTransformInput}");
        if (TimeoutSeconds is < 60 or > 259_200)
            yield return new(nameof(TimeoutSeconds), TimeoutSeconds, "must be between 60 and 259200 (3 days)", "use e.g. 7200");
    }
}
