namespace MlopsTf.Constructs.Policies;

/// <summary>A resource or data source of a synthesized stack.</summary>
/// <param name="Type">Resource type (<c>data.x</c> for data sources).</param>
/// <param name="Name">Resource name.</param>
/// <param name="Body">Its configuration.</param>
public sealed record StackResource(string Type, string Name, JsonObject Body)
{
    /// <summary><c>type.name</c>.</summary>
    public string Address => $"{Type}.{Name}";

    /// <summary>Construct path (<c>//.metadata.path</c>), or the address when it has none.</summary>
    public string Path => Body["//"]?["metadata"]?["path"]?.GetValue<string>() ?? Address;

    /// <summary>One attribute of its configuration.</summary>
    public JsonNode? this[string attribute] => Body[attribute];

    /// <summary>A Terraform reference to one of its attributes, as it appears in other resources.</summary>
    public string Ref(string attribute) => $"${{{Address}.{attribute}}}";

    /// <summary>A string attribute, or null.</summary>
    public string? String(string attribute) => Body[attribute] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A boolean attribute; false when absent or not a boolean.</summary>
    public bool True(string attribute) => Body[attribute] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
