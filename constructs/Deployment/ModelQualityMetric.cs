namespace MlopsTf.Constructs.Deployment;

/// <summary>The kind of prediction a model makes, as SageMaker's model quality monitor names it (<c>ProblemType</c>).</summary>
public enum ModelProblemType
{
    /// <summary>Two classes: a label, or a probability and a threshold.</summary>
    BinaryClassification,

    /// <summary>More than two classes: a label.</summary>
    MulticlassClassification,

    /// <summary>A number.</summary>
    Regression,
}

/// <summary>
/// The metrics the model quality monitor computes per problem type, and whether a fall or a rise of each is the
/// degradation: https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html
/// </summary>
public static class ModelQualityMetric
{
    /// <summary>CloudWatch namespace of model quality metrics of real-time endpoints.</summary>
    public const string Namespace = "aws/sagemaker/Endpoints/model-metrics";

    private static readonly IReadOnlySet<string> ErrorMetrics = new HashSet<string>(StringComparer.Ordinal)
    {
        "mae", "mse", "rmse", "false_positive_rate", "false_negative_rate",
    };

    /// <summary>The metric names published for <paramref name="problem"/>.</summary>
    public static IReadOnlyList<string> For(ModelProblemType problem) => problem switch
    {
        ModelProblemType.BinaryClassification =>
            ["accuracy", "precision", "recall", "f0_5", "f1", "f2", "auc", "au_prc", "true_positive_rate", "true_negative_rate",
                "false_positive_rate", "false_negative_rate"],
        ModelProblemType.MulticlassClassification =>
            ["accuracy", "weighted_recall", "weighted_precision", "weighted_f0_5", "weighted_f1", "weighted_f2"],
        _ => ["mae", "mse", "rmse", "r2"],
    };

    /// <summary>Every metric of every problem type.</summary>
    public static IReadOnlyList<string> All => [.. Enum.GetValues<ModelProblemType>().SelectMany(For).Distinct()];

    /// <summary>Whether the model is worse when <paramref name="metric"/> rises (errors) rather than when it falls.</summary>
    public static bool RiseIsWorse(string metric) => ErrorMetrics.Contains(metric);
}
