namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>DynamoDB tables have point-in-time recovery, a customer managed key and deletion protection. Mirrors CKV_AWS_28, CKV_AWS_119, AVD-AWS-0024, AVD-AWS-0025, AwsSolutions-DDB3.</summary>
public sealed class DynamoDbTableRule() : ResourceRule(
    "MLOPSTF-DDB-001",
    "DynamoDB tables have point-in-time recovery, a customer managed key and deletion protection",
    "CKV_AWS_28, CKV_AWS_119, AVD-AWS-0024, AVD-AWS-0025, AwsSolutions-DDB3",
    "aws_dynamodb_table")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource table)
    {
        if (table.Body["point_in_time_recovery"]?["enabled"]?.GetValue<bool>() != true)
            yield return new("point-in-time recovery is off", "enable point_in_time_recovery");
        if (table.Body["server_side_encryption"]?["kms_key_arn"] is null)
            yield return new("the table is not encrypted with a customer managed key", "set server_side_encryption.kms_key_arn");
        if (!table.True("deletion_protection_enabled"))
            yield return new("deletion protection is off", "set deletion_protection_enabled");
    }
}
