namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>DynamoDB tables have point-in-time recovery, a customer managed key and deletion protection. Mirrors CKV_AWS_28, CKV_AWS_119, AVD-AWS-0024, AVD-AWS-0025, AwsSolutions-DDB3.</summary>
public sealed class DynamoDbTableRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-DDB-001";

    /// <inheritdoc />
    public override string Title => "DynamoDB tables have point-in-time recovery, a customer managed key and deletion protection";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_28, CKV_AWS_119, AVD-AWS-0024, AVD-AWS-0025, AwsSolutions-DDB3";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var table in stack.Resources("aws_dynamodb_table"))
        {
            if (table.Body["point_in_time_recovery"]?["enabled"]?.GetValue<bool>() != true)
                yield return Finding(stack, table, "point-in-time recovery is off", "enable point_in_time_recovery");
            if (table.Body["server_side_encryption"]?["kms_key_arn"] is null)
                yield return Finding(stack, table, "the table is not encrypted with a customer managed key", "set server_side_encryption.kms_key_arn");
            if (!table.True("deletion_protection_enabled"))
                yield return Finding(stack, table, "deletion protection is off", "set deletion_protection_enabled");
        }
    }
}
