using MlopsTf.Constructs.Policies.ServiceRules;

namespace MlopsTf.Constructs.Policies;

/// <summary>The AWS service rules, in id order; <see cref="PolicyPack"/> evaluates them with the security rules.</summary>
public static class ServicePack
{
    /// <summary>The rules.</summary>
    public static IReadOnlyList<ServiceRule> Rules { get; } =
    [
        new IamActionExistsRule(), new IamStarOnlyActionRule(), new IamResourceTypeRule(),
    ];
}
