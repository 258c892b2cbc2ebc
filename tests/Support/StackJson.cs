namespace MlopsTf.Tests.Support;

/// <summary>Reads resources out of a synthesized stack.</summary>
public static class StackJson
{
    /// <summary>The construct path of a synthesized resource or data source (its <c>//.metadata.path</c>), or "" when it has none.</summary>
    public static string PathOf(JsonNode? block) => block?["//"]?["metadata"]?["path"]?.GetValue<string>() ?? "";

    /// <summary>All resources of <paramref name="type"/>, by their Terraform name.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Resources(JsonObject stack, string type) =>
        (stack["resource"]?[type] as JsonObject)?.ToDictionary(kv => kv.Key, kv => kv.Value!.AsObject())
        ?? new Dictionary<string, JsonObject>();

    /// <summary>The single resource of <paramref name="type"/> whose construct path ends with <paramref name="pathSuffix"/>.</summary>
    public static JsonObject Resource(JsonObject stack, string type, string pathSuffix)
    {
        var matches = Resources(stack, type).Values
            .Where(r => PathOf(r).EndsWith(pathSuffix, StringComparison.Ordinal))
            .ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"expected one {type} at *{pathSuffix}, found {matches.Count}");
    }

    public static IReadOnlyDictionary<string, JsonObject> DataSources(JsonObject stack, string type) =>
        (stack["data"]?[type] as JsonObject)?.ToDictionary(kv => kv.Key, kv => kv.Value!.AsObject())
        ?? new Dictionary<string, JsonObject>();

    /// <summary>The terraform reference name of a resource (<c>type.name</c>) from its construct path suffix.</summary>
    public static string Address(JsonObject stack, string type, string pathSuffix)
    {
        var name = Resources(stack, type)
            .Single(kv => PathOf(kv.Value).EndsWith(pathSuffix, StringComparison.Ordinal)).Key;
        return $"{type}.{name}";
    }

    /// <summary>The single data source of <paramref name="type"/> whose construct path ends with <paramref name="pathSuffix"/>.</summary>
    public static JsonObject DataSource(JsonObject stack, string type, string pathSuffix)
    {
        var matches = DataSources(stack, type).Values
            .Where(d => PathOf(d).EndsWith(pathSuffix, StringComparison.Ordinal))
            .ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"expected one data.{type} at *{pathSuffix}, found {matches.Count}");
    }

    /// <summary>The statements of the policy document whose construct path ends with <paramref name="pathSuffix"/>.</summary>
    public static JsonArray Statements(JsonObject stack, string pathSuffix) =>
        DataSource(stack, "aws_iam_policy_document", pathSuffix)["statement"]!.AsArray();

    /// <summary>The statements of <paramref name="pathSuffix"/> by sid.</summary>
    public static Dictionary<string, JsonNode> StatementsBySid(JsonObject stack, string pathSuffix) =>
        Statements(stack, pathSuffix).ToDictionary(s => s!["sid"]!.GetValue<string>(), s => s!);

    /// <summary>The string values of a JSON array.</summary>
    public static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(a => a!.GetValue<string>())];

    /// <summary>A Terraform reference to an attribute of the data source at <paramref name="pathSuffix"/>.</summary>
    public static string DataRef(JsonObject stack, string type, string pathSuffix, string attribute) =>
        $"${{data.{type}.{DataSources(stack, type).Single(kv => PathOf(kv.Value).EndsWith(pathSuffix, StringComparison.Ordinal)).Key}.{attribute}}}";

    /// <summary>A Terraform reference to an attribute of the resource at <paramref name="pathSuffix"/>.</summary>
    public static string Ref(JsonObject stack, string type, string pathSuffix, string attribute) =>
        $"${{{Address(stack, type, pathSuffix)}.{attribute}}}";
}
