namespace MlopsTf.Constructs.Policies;

/// <summary>
/// The synthesized JSON of one stack, read by construct path or by Terraform address, with references
/// (<c>${type.name.attribute}</c>) resolved against it. The policy rules and the tests read stacks through it.
/// </summary>
public sealed class StackDocument(string name, JsonObject json)
{
    /// <summary>Stack name.</summary>
    public string Name { get; } = name;

    /// <summary>The JSON.</summary>
    public JsonObject Json { get; } = json;

    /// <summary>The resource types the stack has.</summary>
    public IEnumerable<string> ResourceTypes => Keys("resource");

    /// <summary>The data source types the stack has (without <c>data.</c>).</summary>
    public IEnumerable<string> DataTypes => Keys("data");

    /// <summary>Every resource, by type.</summary>
    public IEnumerable<StackResource> AllResources => ResourceTypes.SelectMany(Resources);

    /// <summary>Resources of <paramref name="type"/>.</summary>
    public IEnumerable<StackResource> Resources(string type) => Blocks("resource", type, type);

    /// <summary>Resources of <paramref name="type"/> whose construct path contains <paramref name="pathPart"/>.</summary>
    public IEnumerable<StackResource> Resources(string type, string pathPart) =>
        Resources(type).Where(r => r.Path.Contains(pathPart, StringComparison.Ordinal));

    /// <summary>Data sources of <paramref name="type"/> (without <c>data.</c>); their type is <c>data.type</c>.</summary>
    public IEnumerable<StackResource> DataSources(string type) => Blocks("data", type, $"data.{type}");

    /// <summary>The single resource of <paramref name="type"/> whose construct path ends with <paramref name="pathSuffix"/>.</summary>
    public StackResource Resource(string type, string pathSuffix) => Single(Resources(type), type, pathSuffix);

    /// <summary>The single data source of <paramref name="type"/> whose construct path ends with <paramref name="pathSuffix"/>.</summary>
    public StackResource DataSource(string type, string pathSuffix) => Single(DataSources(type), $"data.{type}", pathSuffix);

    /// <summary>A Terraform reference to an attribute of the resource at <paramref name="pathSuffix"/>.</summary>
    public string Ref(string type, string pathSuffix, string attribute) => Resource(type, pathSuffix).Ref(attribute);

    /// <summary>The statements of the policy document whose construct path ends with <paramref name="pathSuffix"/>.</summary>
    public JsonArray Statements(string pathSuffix) => DataSource("aws_iam_policy_document", pathSuffix)["statement"]!.AsArray();

    /// <summary>The statements of the policy document a <c>${data.aws_iam_policy_document.X.json}</c> reference points at.</summary>
    public JsonArray PolicyStatements(string? reference) =>
        TerraformReference.Whole(reference) is { Type: "data.aws_iam_policy_document", Attribute: "json" } document
        && DataSources("aws_iam_policy_document").FirstOrDefault(d => d.Name == document.Name)?["statement"] is JsonArray statements
            ? statements
            : [];

    /// <summary>Resources of <paramref name="type"/> whose <paramref name="attribute"/> references <paramref name="target"/>'s id or name.</summary>
    public IEnumerable<StackResource> Referencing(string type, string attribute, StackResource target) =>
        Resources(type).Where(r => r.String(attribute) is { } value && (value == target.Ref("id") || value == target.Ref("bucket") || value == target.Ref("name")));

    /// <summary>The resource a reference names, or null (data sources are not resolved).</summary>
    public StackResource? Target(TerraformReference? reference) =>
        reference is null ? null : Resources(reference.Type).FirstOrDefault(r => r.Name == reference.Name);

    /// <summary>
    /// The resource of <paramref name="type"/> that <paramref name="value"/> names: a reference to any of its
    /// attributes, or a literal equal to its <paramref name="nameAttribute"/>.
    /// </summary>
    public StackResource? Named(string type, string nameAttribute, string? value)
    {
        if (value is null) return null;
        if (TerraformReference.Whole(value) is { } reference)
            return reference.Type == type ? Target(reference) : null;
        return TerraformReference.Unknown(value) ? null : Resources(type).FirstOrDefault(r => r.String(nameAttribute) == value);
    }

    /// <summary>
    /// A value with a whole reference to another resource's configured string attribute replaced by that attribute
    /// (a few hops), e.g. a scaling policy's <c>${aws_appautoscaling_target.t.resource_id}</c>; anything else unchanged.
    /// </summary>
    public string? Dereference(string? value)
    {
        for (var hop = 0; hop < 4 && TerraformReference.Whole(value) is { } reference; hop++)
        {
            if (Target(reference)?.String(reference.Attribute) is not { } configured) break;
            value = configured;
        }
        return value;
    }

    private IEnumerable<string> Keys(string section) => (Json[section] as JsonObject)?.Select(kv => kv.Key) ?? [];

    private IEnumerable<StackResource> Blocks(string section, string type, string resourceType) =>
        (Json[section]?[type] as JsonObject)?.Select(kv => new StackResource(resourceType, kv.Key, kv.Value!.AsObject())) ?? [];

    private static StackResource Single(IEnumerable<StackResource> candidates, string type, string pathSuffix)
    {
        var matches = candidates.Where(r => r.Path.EndsWith(pathSuffix, StringComparison.Ordinal)).ToList();
        return matches.Count == 1 ? matches[0] : throw new InvalidOperationException($"expected one {type} at *{pathSuffix}, found {matches.Count}");
    }
}
