namespace MlopsTf.Constructs.Policies;

/// <summary>What a resource breaks: the problem and fix of the finding on it.</summary>
/// <param name="Problem">What is wrong.</param>
/// <param name="Fix">How to fix it.</param>
public readonly record struct Violation(string Problem, string Fix);

/// <summary>A rule that checks each resource of some types on its own; its findings are on that resource.</summary>
/// <param name="id">Stable id; waivers name it.</param>
/// <param name="title">What the rule requires.</param>
/// <param name="mirrors">Scanner ids the rule mirrors.</param>
/// <param name="resourceTypes">The resource types it checks, in the order they are reported.</param>
public abstract class ResourceRule(string id, string title, string mirrors, params string[] resourceTypes) : PolicyRule(id, title, mirrors)
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        from type in resourceTypes
        from resource in stack.Resources(type)
        from violation in Check(stack, resource)
        select Finding(stack, resource, violation);

    /// <summary>What <paramref name="resource"/> breaks.</summary>
    protected abstract IEnumerable<Violation> Check(StackDocument stack, StackResource resource);
}
