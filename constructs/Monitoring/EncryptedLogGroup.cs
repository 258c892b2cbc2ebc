namespace MlopsTf.Constructs.Monitoring;

/// <summary>Props for <see cref="EncryptedLogGroup"/>.</summary>
public sealed record EncryptedLogGroupProps
{
    /// <summary>Log group name, e.g. <c>/aws/lambda/my-function</c>.</summary>
    public required string LogGroupName { get; init; }

    /// <summary>Key that encrypts the logs; its policy must allow CloudWatch Logs for this region.</summary>
    public required CustomerManagedKey EncryptionKey { get; init; }

    /// <summary>Retention in days; one of the values CloudWatch Logs accepts.</summary>
    public required int RetentionInDays { get; init; }
}

/// <summary>A CloudWatch log group encrypted with a customer managed key and with a retention period.</summary>
public sealed class EncryptedLogGroup : Construct
{
    /// <summary>Retention periods CloudWatch Logs accepts, in days.</summary>
    public static readonly IReadOnlyList<int> AllowedRetentionDays =
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    /// <summary>The log group resource.</summary>
    public CloudwatchLogGroup LogGroup { get; }

    /// <summary>Log group name.</summary>
    public string Name => field ??= LogGroup.Name;

    /// <summary>Log group ARN (without the trailing <c>:*</c>).</summary>
    public string Arn => field ??= LogGroup.Arn;

    /// <summary>Creates the log group.</summary>
    public EncryptedLogGroup(Construct scope, string id, EncryptedLogGroupProps props) : base(scope, id)
    {
        if (!AllowedRetentionDays.Contains(props.RetentionInDays))
            throw new ArgumentException($"EncryptedLogGroupProps.RetentionInDays = {props.RetentionInDays} for {props.LogGroupName}: use one of {string.Join(", ", AllowedRetentionDays)}.");
        LogGroup = new CloudwatchLogGroup(this, "log-group", new CloudwatchLogGroupConfig
        {
            Name = props.LogGroupName,
            KmsKeyId = props.EncryptionKey.Arn,
            RetentionInDays = props.RetentionInDays,
        });
    }
}
