namespace MlopsTf.Environments;

/// <summary>
/// Definitions every environment shares (the same features and model versions are promoted from dev to prod);
/// environments differ in how they use them, not in what they are.
/// </summary>
public static class Catalog
{
    /// <summary>Columns every raw churn CSV must have.</summary>
    public static readonly IReadOnlyList<string> ChurnRequiredColumns = ["customer_id", "event_time", "churned"];

    /// <summary>The customer-activity feature group.</summary>
    public static FeatureGroupConfig CustomerActivity { get; } = new()
    {
        Name = "customer-activity",
        RecordIdentifier = "customer_id",
        EventTime = "event_time",
        Features =
        [
            new("customer_id", FeatureType.String),
            new("event_time", FeatureType.Fractional),
            new("sessions_30d", FeatureType.Integral),
            new("spend_30d", FeatureType.Fractional),
            new("plan", FeatureType.String),
        ],
    };

    /// <summary>The churn model with its retained versions, oldest first.</summary>
    public static ServedModel ChurnModel { get; } = new()
    {
        Name = "churn",
        Versions =
        [
            new("1.0.0", ImageTag: "1.0.0", ModelDataKey: "churn/1.0.0/model.tar.gz"),
            new("1.1.0", ImageTag: "1.1.0", ModelDataKey: "churn/1.1.0/model.tar.gz"),
        ],
    };
}
