namespace MlopsTf.Constructs.Policies;

/// <summary>
/// Waivers are explicit and local: the construct that needs one records it on the resource, with a reason, in the
/// resource's <c>//</c> comment block of the synthesized JSON (Terraform ignores it; reviewers and the report see it).
/// </summary>
public static class Waivers
{
    /// <summary>The key under <c>//</c> that holds the waivers.</summary>
    public const string Key = "mlopstf_waivers";

    /// <summary>Waives <paramref name="ruleId"/> for <paramref name="resource"/> because of <paramref name="reason"/>.</summary>
    public static void Waive(TerraformResource resource, string ruleId, string reason) =>
        resource.AddOverride($"//.{Key}.{ruleId}", reason);

    /// <summary>The waivers recorded on a resource: rule id → reason.</summary>
    public static IReadOnlyDictionary<string, string> Of(StackResource resource) =>
        (resource.Body["//"]?[Key] as JsonObject)?.ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<string>() ?? "")
        ?? new Dictionary<string, string>();
}
