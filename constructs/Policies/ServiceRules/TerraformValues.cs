namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Reading synthesized Terraform JSON as the service rules need it: blocks that CDKTF writes as an object or a list,
/// and numbers that arrive as strings (references are resolved by <see cref="StackDocument"/>).
/// </summary>
public static class TerraformValues
{
    /// <summary>The blocks of a nested block attribute, whether written as one object or a list of objects.</summary>
    public static IEnumerable<JsonObject> Blocks(JsonNode? node) => node switch
    {
        JsonObject o => [o],
        JsonArray a => a.OfType<JsonObject>(),
        _ => [],
    };

    /// <summary>The first block of a nested block attribute, or null.</summary>
    public static JsonObject? Block(JsonNode? node) => Blocks(node).FirstOrDefault();

    /// <summary>A known number (JSON number, or a string holding one); null when absent, unknown or not a number.</summary>
    public static double? Number(JsonNode? node)
    {
        if (node is not JsonValue value) return null;
        return value.GetValueKind() switch
        {
            JsonValueKind.Number => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
            JsonValueKind.String when double.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }

    /// <summary>A string value, or null.</summary>
    public static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>A boolean value (also <c>"true"</c>), or null.</summary>
    public static bool? Bool(JsonNode? node) => node is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => bool.TryParse(v.GetValue<string>(), out var b) ? b : null,
            _ => null,
        }
        : null;

    /// <summary>The strings of a JSON array (non-strings skipped).</summary>
    public static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? [.. a.Select(Text).OfType<string>()] : node is JsonValue && Text(node) is { } one ? [one] : [];

    /// <summary>The value as a plain literal (null when absent or partly unknown).</summary>
    public static string? Literal(JsonNode? node) => Text(node) is { } s && !TerraformReference.Unknown(s) ? s : null;

    /// <summary>A number formatted for a finding.</summary>
    public static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The construct path a resource's siblings share (its parent construct).</summary>
    public static string Parent(StackResource resource) =>
        resource.Path.LastIndexOf('/') is var i and > 0 ? resource.Path[..i] : resource.Path;

    /// <summary>
    /// The JSON document held in a string attribute (policies, patterns, definitions), written as JSON or as a
    /// <c>jsonencode</c> expression (<see cref="JsonExpression"/>); null when it is neither.
    /// </summary>
    public static JsonNode? ParseEmbedded(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        if (JsonExpression.IsEncoded(json)) return JsonExpression.Decode(json);
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
