namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>
/// A JSON document with Terraform references inside is a <c>jsonencode</c> expression, not a string: the HCL that
/// <c>cdktf synth --hcl</c> prints splits such a string apart into invalid HCL. Project rule; no scanner mirrors it.
/// </summary>
public sealed class JsonArgumentRule() : PolicyRule(
    "MLOPSTF-TF-001",
    "JSON documents with references inside are jsonencode expressions, not strings",
    "none (keeps cdktf synth --hcl valid)")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        from resource in stack.AllResources
        from attribute in JsonStrings(resource.Body, "")
        select Finding(stack, resource,
            $"{attribute} is a JSON document written as a string with Terraform references inside, which cdktf synth --hcl splits into invalid HCL",
            "build it with JsonExpression.Encode (a jsonencode expression), as TrainingPipeline and PlatformMonitoring do");

    private static IEnumerable<string> JsonStrings(JsonNode? node, string at)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.Where(p => p.Key != "//"))
                    foreach (var found in JsonStrings(value, at.Length == 0 ? key : $"{at}.{key}"))
                        yield return found;
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    foreach (var found in JsonStrings(a[i], $"{at}[{i}]"))
                        yield return found;
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && IsJsonWithReferences(v.GetValue<string>()):
                yield return at;
                break;
        }
    }

    private static bool IsJsonWithReferences(string value)
    {
        var text = value.TrimStart();
        if (text.Length == 0 || text[0] is not ('{' or '[') || !value.Contains("${", StringComparison.Ordinal)) return false;
        try
        {
            return JsonNode.Parse(text) is JsonObject or JsonArray;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
