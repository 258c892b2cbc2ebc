namespace MlopsTf.Constructs.Common;

/// <summary>ARNs the configuration already determines, built without asking AWS at plan time.</summary>
public static class Arn
{
    /// <summary>Partition for <paramref name="region"/>.</summary>
    public static string Partition(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";

    /// <summary>The account's root principal, which delegates to IAM policies.</summary>
    public static string AccountRoot(string region, string accountId) => $"arn:{Partition(region)}:iam::{accountId}:root";

    /// <summary>An AWS-managed IAM policy.</summary>
    public static string ManagedPolicy(string region, string name) => $"arn:{Partition(region)}:iam::aws:policy/{name}";

    /// <summary>A KMS alias ARN.</summary>
    public static string KmsAlias(string region, string accountId, string alias) =>
        $"arn:{Partition(region)}:kms:{region}:{accountId}:alias/{alias}";

    /// <summary>An S3 bucket ARN.</summary>
    public static string Bucket(string region, string bucket) => $"arn:{Partition(region)}:s3:::{bucket}";

    /// <summary>A DynamoDB table ARN.</summary>
    public static string DynamoDbTable(string region, string accountId, string table) =>
        $"arn:{Partition(region)}:dynamodb:{region}:{accountId}:table/{table}";
}
