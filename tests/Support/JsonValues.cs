namespace MlopsTf.Tests.Support;

/// <summary>Values of synthesized JSON in the shapes the assertions compare.</summary>
public static class JsonValues
{
    /// <summary>The string values of a JSON array.</summary>
    public static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(a => a!.GetValue<string>())];

    /// <summary>Policy statements by sid.</summary>
    public static Dictionary<string, JsonNode> BySid(JsonArray statements) =>
        statements.ToDictionary(s => s!["sid"]!.GetValue<string>(), s => s!);
}
