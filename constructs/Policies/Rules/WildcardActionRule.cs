namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Identity and resource policies allow no wildcard actions. Mirrors CKV_AWS_62, CKV_AWS_63, CKV_AWS_355, CKV_AWS_290, AVD-AWS-0057, AwsSolutions-IAM5.</summary>
public sealed class WildcardActionRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-IAM-002";

    /// <inheritdoc />
    public override string Title => "Identity and resource policies allow no wildcard actions";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_62, CKV_AWS_63, CKV_AWS_355, CKV_AWS_290, AVD-AWS-0057, AwsSolutions-IAM5";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        var documents = stack.Json["data"]?["aws_iam_policy_document"]?.AsObject() ?? [];
        foreach (var (name, doc) in documents)
        {
            var resource = new StackResource("data.aws_iam_policy_document", name, doc!.AsObject());
            var keyPolicies = stack.Resources("aws_kms_key").Select(k => k.String("policy")).ToHashSet();
            if (keyPolicies.Contains($"${{data.aws_iam_policy_document.{name}.json}}")) continue; // key policies: the account root administers the key
            foreach (var statement in doc["statement"]?.AsArray() ?? [])
            {
                if (statement?["effect"]?.GetValue<string>() != "Allow") continue;
                foreach (var action in statement["actions"]?.AsArray().Select(a => a!.GetValue<string>()) ?? [])
                {
                    if (action == "*" || action.EndsWith(":*", StringComparison.Ordinal))
                        yield return Finding(stack, resource, $"allows the wildcard action {action}", "list the actions the principal needs");
                }
            }
        }
    }
}
