namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>Shared check of an instance type against the uses SageMaker accepts it for.</summary>
public static class InstanceTypeUse
{
    /// <summary>What is wrong with <paramref name="type"/> for <paramref name="use"/>, or null when SageMaker accepts it.</summary>
    public static string? Problem(string type, InstanceUse use)
    {
        if (InstanceTypes.Find(type) is not { } known)
            return $"{type} is not in constructs/SageMaker/InstanceTypes.cs, so its {use.ToString().ToLowerInvariant()} support, vCPUs and storage are unknown";
        return known.Uses.HasFlag(use) ? null : $"SageMaker does not offer {type} for {use.ToString().ToLowerInvariant()} (it is valid for {Describe(known.Uses)})";
    }

    /// <summary>
    /// What is wrong with the instance type a resource sets in <paramref name="field"/> for <paramref name="use"/>;
    /// null when the type is unset, unknown before apply or accepted.
    /// </summary>
    public static Violation? Check(string field, string? type, InstanceUse use) =>
        type is not null && Problem(type, use) is { } problem ? new Violation($"{field} = {type}: {problem}", Fix(use)) : null;

    /// <summary>The fix for <paramref name="use"/>.</summary>
    public static string Fix(InstanceUse use) =>
        $"use a type SageMaker lists for {use.ToString().ToLowerInvariant()} (e.g. {string.Join(", ", InstanceTypes.Known.Values.Where(t => t.Uses.HasFlag(use)).Take(3).Select(t => t.Name))}), or add the type to InstanceTypes.cs with its documented uses";

    private static string Describe(InstanceUse uses) => uses == InstanceUse.None ? "nothing" : uses.ToString().ToLowerInvariant();
}
