namespace MlopsTf.Environments;

/// <summary>Whether a higher or a lower evaluation metric is better.</summary>
public enum MetricGoal
{
    /// <summary>Higher is better (AUC, accuracy); the model passes at or above the threshold.</summary>
    Maximize,

    /// <summary>Lower is better (RMSE, log loss); the model passes at or below the threshold.</summary>
    Minimize,
}

/// <summary>SageMaker Feature Store feature types.</summary>
public enum FeatureType
{
    /// <summary>Integer values.</summary>
    Integral,

    /// <summary>Floating-point values.</summary>
    Fractional,

    /// <summary>Strings (also ISO-8601 event times).</summary>
    String,
}

/// <summary>The ML side of an environment: Studio users, model registry, feature store, pipeline, images, budget.</summary>
public sealed record MlConfig
{
    /// <summary>SageMaker Studio user profiles to create. Default: none.</summary>
    public IReadOnlyList<string> StudioUsers { get; init; } = [];

    /// <summary>Model families; each gets a model package group (the registry). At least one.</summary>
    public IReadOnlyList<string> ModelFamilies { get; init; } = ["default"];

    /// <summary>Feature groups (Feature Store). Default: none.</summary>
    public IReadOnlyList<FeatureGroupConfig> FeatureGroups { get; init; } = [];

    /// <summary>The retraining pipeline.</summary>
    public required PipelineConfig Pipeline { get; init; }

    /// <summary>ECR lifecycle for the training and inference image repositories.</summary>
    public EcrLifecycleConfig Ecr { get; init; } = new();

    /// <summary>Percentages of the monthly budget at which the alerts topic is notified. Default: 80 and 100.</summary>
    public IReadOnlyList<int> BudgetAlertPercents { get; init; } = [80, 100];
}

/// <summary>The retraining pipeline: schedules, training job, evaluation gate.</summary>
public sealed record PipelineConfig
{
    /// <summary>EventBridge Scheduler expression that starts the pipeline. Default: Mondays 03:00.</summary>
    public string RetrainingSchedule { get; init; } = "cron(0 3 ? * MON *)";

    /// <summary>Time zone of <see cref="RetrainingSchedule"/>. Default: UTC.</summary>
    public string ScheduleTimezone { get; init; } = "UTC";

    /// <summary>Glue schedule (cron) for the crawler over the raw prefix. Default: daily 01:00 UTC.</summary>
    public string CrawlerSchedule { get; init; } = "cron(0 1 * * ? *)";

    /// <summary>Training instance type; must be in the environment's allow-list.</summary>
    public required string TrainingInstanceType { get; init; }

    /// <summary>Training instance count; at most the environment's maximum. Default: 1.</summary>
    public int TrainingInstanceCount { get; init; } = 1;

    /// <summary>Training volume size in GB. Default: 50.</summary>
    public int TrainingVolumeSizeGb { get; init; } = 50;

    /// <summary>Maximum training run time in seconds. Default: one day.</summary>
    public int TrainingMaxRuntimeSeconds { get; init; } = 86_400;

    /// <summary>
    /// Managed Spot training: the longest a job may take including waits for Spot capacity (at least
    /// <see cref="TrainingMaxRuntimeSeconds"/>); the job checkpoints to <c>s3://&lt;models&gt;/checkpoints/&lt;execution&gt;/</c>
    /// so an interrupted run resumes. Null trains on demand. Default: null.
    /// </summary>
    public int? TrainingSpotMaxWaitSeconds { get; init; }

    /// <summary>Hyperparameters passed to the training image (at most 100; keys up to 256, values up to 2500 characters). Default: none.</summary>
    public IReadOnlyDictionary<string, string> TrainingHyperParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Immutable tag of the training image in the platform's training repository.</summary>
    public required string TrainingImageTag { get; init; }

    /// <summary>
    /// Tag, in the inference repository, of the image that serves the models this pipeline registers (the registered
    /// package names it). Default: <see cref="TrainingImageTag"/> (training and inference images released together).
    /// </summary>
    public string? InferenceImageTag { get; init; }

    /// <summary>Model family (package group) that passing models are registered into. Default: the first family.</summary>
    public string? ModelFamily { get; init; }

    /// <summary>Training metric the evaluation gate reads; one of <see cref="MetricDefinitions"/>. Default: <c>validation:auc</c>.</summary>
    public string EvaluationMetric { get; init; } = "validation:auc";

    /// <summary>
    /// How SageMaker finds the metrics in the training image's output (a custom image reports nothing without them):
    /// each name with a regular expression whose first group is the value. Default: <c>validation:auc</c> from lines
    /// such as <c>validation:auc=0.873</c>.
    /// </summary>
    public IReadOnlyList<MetricDefinition> MetricDefinitions { get; init; } =
        [new("validation:auc", @"validation:auc=([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)")];

    /// <summary>
    /// How the preprocessing job splits the processed data into the training job's channels (percent of records,
    /// by a stable hash of <see cref="SplitColumn"/>); each channel reads <c>processed/split=&lt;channel&gt;/</c>.
    /// Default: train 80, validation 20.
    /// </summary>
    public IReadOnlyList<DataSplit> Channels { get; init; } = [new("train", 80), new("validation", 20)];

    /// <summary>Column whose hash assigns a record to a channel (stable across runs). Default: the first of <see cref="RequiredColumns"/>.</summary>
    public string? SplitColumn { get; init; }

    /// <summary>Whether higher or lower is better. Default: maximize.</summary>
    public MetricGoal MetricGoal { get; init; } = MetricGoal.Maximize;

    /// <summary>The value a model must reach to be registered. Default: 0.8.</summary>
    public double EvaluationThreshold { get; init; } = 0.8;

    /// <summary>Columns the data-validation step requires in every raw CSV. Default: none.</summary>
    public IReadOnlyList<string> RequiredColumns { get; init; } = [];

    /// <summary>Minimum rows the data-validation step requires. Default: 1000.</summary>
    public int MinimumRows { get; init; } = 1000;

    /// <summary>
    /// A batch transform of <c>batch-transform/input/</c> with each registered model, into
    /// <c>batch-transform/output/&lt;execution&gt;/</c>; null skips it. Default: null.
    /// </summary>
    public BatchTransformSettings? BatchTransform { get; init; }
}

/// <summary>A training metric SageMaker reads from the training image's logs.</summary>
/// <param name="Name">Metric name, e.g. <c>validation:auc</c>.</param>
/// <param name="Regex">Regular expression whose first capturing group is the value.</param>
public sealed record MetricDefinition(string Name, string Regex);

/// <summary>A training channel and its share of the processed records.</summary>
/// <param name="Channel">Channel name (the training image reads <c>/opt/ml/input/data/&lt;channel&gt;</c>).</param>
/// <param name="Percent">Share of records, percent.</param>
public sealed record DataSplit(string Channel, int Percent);

/// <summary>A Feature Store feature group.</summary>
public sealed record FeatureGroupConfig
{
    /// <summary>Feature group name (letters, digits, '-'; at most 64).</summary>
    public required string Name { get; init; }

    /// <summary>The feature that identifies a record.</summary>
    public required string RecordIdentifier { get; init; }

    /// <summary>The feature holding the event time (Fractional epoch seconds or an ISO-8601 String).</summary>
    public required string EventTime { get; init; }

    /// <summary>Feature definitions, including the identifier and the event time.</summary>
    public required IReadOnlyList<FeatureDefinition> Features { get; init; }

    /// <summary>Whether the group has an online store (KMS-encrypted). Default: true.</summary>
    public bool OnlineStore { get; init; } = true;
}

/// <summary>One feature.</summary>
/// <param name="Name">Feature name.</param>
/// <param name="Type">Feature type.</param>
public sealed record FeatureDefinition(string Name, FeatureType Type);

/// <summary>ECR image retention.</summary>
public sealed record EcrLifecycleConfig
{
    /// <summary>Tagged images to keep per repository. Default: 30.</summary>
    public int KeepTaggedImages { get; init; } = 30;

    /// <summary>Days after which untagged images expire. Default: 7.</summary>
    public int UntaggedExpiryDays { get; init; } = 7;
}
