namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Identity and resource policies allow no wildcard actions. Mirrors CKV_AWS_62, CKV_AWS_63, CKV_AWS_355, CKV_AWS_290, AVD-AWS-0057, AwsSolutions-IAM5.</summary>
public sealed class WildcardActionRule() : PolicyRule(
    "MLOPSTF-IAM-002",
    "Identity and resource policies allow no wildcard actions",
    "CKV_AWS_62, CKV_AWS_63, CKV_AWS_355, CKV_AWS_290, AVD-AWS-0057, AwsSolutions-IAM5")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        var keyPolicies = PolicyDocuments.KeyPolicies(stack); // key policies: the account root administers the key
        return from statement in PolicyDocuments.Statements(stack)
               where !statement.InKeyPolicy(keyPolicies) && statement.Body["effect"]?.GetValue<string>() == "Allow"
               from action in statement.Actions
               where action == "*" || action.EndsWith(":*", StringComparison.Ordinal)
               select Finding(stack, statement.Document, $"allows the wildcard action {action}", "list the actions the principal needs");
    }
}
