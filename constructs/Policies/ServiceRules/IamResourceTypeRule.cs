namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Each action of a statement can match at least one of the statement's resources: a resource ARN that none of the
/// action's resource types can take is a grant (or a deny) that never applies.
/// </summary>
public sealed class IamResourceTypeRule() : ServiceRule(
    "MLOPSTF-AWS-003",
    "Every action can match one of its statement's resources by resource type",
    "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        Findings(stack, PolicyDocuments.ScopedStatements(stack), statement => Check(stack, statement));

    private static IEnumerable<Violation> Check(StackDocument stack, PolicyStatement statement)
    {
        var reference = AuthorizationReference.Instance;
        var resources = statement.Resources.Select(r => ReferenceArns.Resolve(stack, r)).ToList();
        foreach (var action in statement.Actions)
        {
            var scoped = reference.Expand(action).Where(a => !a.OnlyStar).ToList();
            if (scoped.Count == 0) continue;
            var matches = scoped.Any(a => a.ResourceArns.Any(format => resources.Any(r => ArnPattern.Intersects(ArnPattern.FromAwsFormat(format), r))));
            if (!matches)
            {
                var formats = scoped.SelectMany(a => a.ResourceArns).Distinct().Take(4);
                yield return new(
                    $"{statement.Label} ({statement.Effect}) names {action} on {string.Join(", ", statement.Resources)}, none of which can be a resource of {action} ({string.Join(" | ", formats)})",
                    $"name the ARN of a resource {action} acts on, or move the action to the statement that names one");
            }
        }
    }
}
