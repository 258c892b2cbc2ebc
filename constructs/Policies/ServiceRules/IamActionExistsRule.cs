namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>Every action a policy statement names exists in AWS's service authorization reference.</summary>
public sealed class IamActionExistsRule() : ServiceRule(
    "MLOPSTF-AWS-001",
    "Every IAM action named in a policy exists in its service",
    "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) => Findings(stack, PolicyDocuments.Statements(stack), Check);

    private static IEnumerable<Violation> Check(PolicyStatement statement)
    {
        var reference = AuthorizationReference.Instance;
        foreach (var action in statement.Actions.Concat(statement.Body["not_actions"]?.AsArray().Select(a => a!.GetValue<string>()) ?? []))
        {
            if (action == "*") continue;
            var service = action.Split(':', 2)[0];
            if (!reference.HasService(service))
                yield return new($"{statement.Label} names {action}, but {service} is not a service prefix AWS knows",
                    "use the service prefix from the service authorization reference");
            else if (reference.Expand(action).Count == 0)
                yield return new($"{statement.Label} names {action}, which {service} does not have",
                    $"use an action listed for {service} in the service authorization reference");
        }
    }
}
