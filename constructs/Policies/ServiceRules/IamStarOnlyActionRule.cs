namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Actions that take no resource type are granted or denied on <c>*</c>: a statement that scopes one to ARNs never
/// applies to it (an Allow grants nothing, a Deny denies nothing).
/// </summary>
public sealed class IamStarOnlyActionRule() : ServiceRule(
    "MLOPSTF-AWS-002",
    "Actions that accept only Resource \"*\" are not scoped to ARNs",
    "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) => Findings(stack, PolicyDocuments.ScopedStatements(stack), Check);

    private static IEnumerable<Violation> Check(PolicyStatement statement)
    {
        var reference = AuthorizationReference.Instance;
        foreach (var action in statement.Actions.Where(a => !a.Contains('*', StringComparison.Ordinal)))
        {
            if (reference.Expand(action) is [{ OnlyStar: true } only])
                yield return new(
                    $"{statement.Label} scopes {only.FullName} to {string.Join(", ", statement.Resources)}, but {only.FullName} accepts only Resource \"*\", so the statement never applies to it",
                    $"move {only.FullName} into a statement on Resource \"*\" (narrow it with a condition key if the action has one)");
        }
    }
}
