namespace MlopsTf.Constructs.Policies;

/// <summary>One statement of a policy document in a synthesized stack.</summary>
/// <param name="Document">The <c>aws_iam_policy_document</c> data source holding it.</param>
/// <param name="Index">Its position in the document.</param>
/// <param name="Body">The statement.</param>
public sealed record PolicyStatement(StackResource Document, int Index, JsonObject Body)
{
    /// <summary><c>Allow</c> or <c>Deny</c> (Allow when unset, as in IAM).</summary>
    public string Effect => Body["effect"]?.GetValue<string>() ?? "Allow";

    /// <summary>The statement id, or its position.</summary>
    public string Label => Body["sid"]?.GetValue<string>() is { Length: > 0 } sid ? sid : $"statement {Index}";

    /// <summary>The actions it names.</summary>
    public IReadOnlyList<string> Actions => Strings("actions");

    /// <summary>The resources it names.</summary>
    public IReadOnlyList<string> Resources => Strings("resources");

    private List<string> Strings(string key) => Body[key]?.AsArray().Select(a => a!.GetValue<string>()).ToList() ?? [];
}

/// <summary>The policy documents of a synthesized stack.</summary>
public static class PolicyDocuments
{
    /// <summary>Every statement of every <c>aws_iam_policy_document</c>.</summary>
    public static IEnumerable<PolicyStatement> Statements(StackDocument stack)
    {
        foreach (var document in stack.DataSources("aws_iam_policy_document"))
        {
            var index = 0;
            foreach (var statement in document["statement"]?.AsArray() ?? [])
                yield return new PolicyStatement(document, index++, statement!.AsObject());
        }
    }

    /// <summary>
    /// Statements that name specific resources: not in a key policy (whose <c>*</c> is the key itself), with
    /// resources, none of them <c>*</c>. The ones whose resources can fail to match their actions.
    /// </summary>
    public static IEnumerable<PolicyStatement> ScopedStatements(StackDocument stack)
    {
        var keyPolicies = KeyPolicies(stack);
        return Statements(stack).Where(s => !s.InKeyPolicy(keyPolicies) && s.Resources.Count > 0 && !s.Resources.Contains("*"));
    }

    /// <summary>Documents used as KMS key policies (their <c>*</c> resource is the key itself).</summary>
    public static IReadOnlySet<string> KeyPolicies(StackDocument stack) =>
        stack.Resources("aws_kms_key").Select(k => k.String("policy")).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="statement"/> belongs to a key policy.</summary>
    public static bool InKeyPolicy(this PolicyStatement statement, IReadOnlySet<string> keyPolicies) =>
        keyPolicies.Contains($"${{data.aws_iam_policy_document.{statement.Document.Name}.json}}");
}
