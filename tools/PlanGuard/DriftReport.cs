using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MlopsTf.PlanGuard;

/// <summary>One attribute that changed outside Terraform.</summary>
/// <param name="Address">Resource address.</param>
/// <param name="Attribute">Attribute path, e.g. <c>tags.Owner</c>; <c>(resource)</c> when the resource is gone.</param>
/// <param name="Recorded">Value in the state.</param>
/// <param name="Actual">Value found in AWS.</param>
public sealed record DriftedAttribute(string Address, string Attribute, string Recorded, string Actual);

/// <summary>
/// An ignore-list entry: an address pattern (<c>*</c> wildcards) and an attribute prefix (empty for all). With
/// <see cref="WhenTagged"/> it describes an expected state instead of noise: it matches only the deletion of a resource
/// (<c>(resource)</c>) whose recorded state carries every one of those tags, and the report lists it as expected.
/// </summary>
/// <param name="Address">Address pattern.</param>
/// <param name="Attribute">Attribute path prefix; <c>(resource)</c> for a deletion.</param>
/// <param name="Reason">Why the drift is expected.</param>
/// <param name="WhenTagged">Tags (key, value) the recorded state must carry (in <c>tags_all</c> or <c>tags</c>); null for a plain entry.</param>
public sealed record DriftIgnore(string Address, string Attribute, string Reason,
    [property: JsonPropertyName("when_tagged")] IReadOnlyDictionary<string, string>? WhenTagged = null)
{
    /// <summary>The attribute a deletion is reported under.</summary>
    public const string Deleted = "(resource)";
}

/// <summary>A change outside Terraform that an ignore-list entry explains.</summary>
/// <param name="Address">Resource address.</param>
/// <param name="Attribute">Attribute path, <c>(resource)</c> when the resource is gone.</param>
/// <param name="Recorded">Value in the state.</param>
/// <param name="Actual">Value found in AWS.</param>
/// <param name="Reason">The entry's reason.</param>
public sealed record ExplainedDrift(string Address, string Attribute, string Recorded, string Actual, string Reason);

/// <summary>
/// Drift (changed outside Terraform, from <c>terraform plan -refresh-only</c>) separated from pending changes (code not
/// yet applied, from a normal plan), minus the ignore list. <see cref="Expected"/> holds the deletions that a tagged
/// ignore-list entry explains (the nightly endpoint cleanup), <see cref="Ignored"/> the attribute noise of plain
/// entries; neither counts as drift.
/// </summary>
public sealed record DriftReport(string Stack, IReadOnlyList<DriftedAttribute> Drift, IReadOnlyList<ResourceChange> Pending,
    IReadOnlyList<ExplainedDrift> Ignored, IReadOnlyList<ExplainedDrift> Expected)
{
    /// <summary>0 when clean, 2 when there is drift or pending change.</summary>
    public int ExitCode => Drift.Count > 0 || Pending.Count > 0 ? 2 : 0;

    /// <summary>Builds the report from the two plans' JSON.</summary>
    public static DriftReport Build(string stack, string refreshOnlyJson, string planJson, IReadOnlyList<DriftIgnore> ignore)
    {
        var refresh = JsonNode.Parse(refreshOnlyJson) ?? throw new InvalidDataException("the refresh-only plan is empty");
        var drifted = new List<DriftedAttribute>();
        var ignored = new List<ExplainedDrift>();
        var expected = new List<ExplainedDrift>();
        foreach (var rd in refresh["resource_drift"]?.AsArray() ?? [])
        {
            if (rd?["mode"]?.GetValue<string>() != "managed") continue;
            var address = rd["address"]!.GetValue<string>();
            var change = rd["change"]!;
            var actions = change["actions"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
            var found = new List<DriftedAttribute>();
            if (actions.Contains("delete"))
                found.Add(new DriftedAttribute(address, DriftIgnore.Deleted, "exists", "deleted outside Terraform"));
            else
                Diff(address, "", change["before"], change["after"], found);
            foreach (var d in found)
            {
                if (ignore.FirstOrDefault(i => i.WhenTagged is not null && Matches(i, d) && Tagged(change["before"], i.WhenTagged)) is { } known)
                    expected.Add(Explain(d, known));
                else if (ignore.FirstOrDefault(i => i.WhenTagged is null && Matches(i, d)) is { } noise)
                    ignored.Add(Explain(d, noise));
                else
                    drifted.Add(d);
            }
        }
        // A pending change to a resource that is reported as drift or ignored is left to those lists; an expected
        // deletion explains only the deletion, so code not yet applied to that resource is still pending.
        var explained = drifted.Select(d => d.Address).Concat(ignored.Select(i => i.Address)).ToHashSet();
        var pending = PlanAnalysis.FromPlanJson(stack, planJson).Changes.Where(c => !explained.Contains(c.Address)).ToList();
        return new DriftReport(stack, drifted, pending, ignored, expected);
    }

    private static ExplainedDrift Explain(DriftedAttribute d, DriftIgnore rule) => new(d.Address, d.Attribute, d.Recorded, d.Actual, rule.Reason);

    // The tags Terraform recorded: tags_all (with the provider's default tags) or tags.
    private static bool Tagged(JsonNode? recorded, IReadOnlyDictionary<string, string> tags) =>
        tags.All(t => new[] { "tags_all", "tags" }.Any(map => recorded?[map] is JsonObject m && m[t.Key] is JsonValue v
            && v.TryGetValue<string>(out var value) && value == t.Value));

    private static void Diff(string address, string path, JsonNode? before, JsonNode? after, List<DriftedAttribute> into)
    {
        if (before is JsonObject b && after is JsonObject a)
        {
            foreach (var key in b.Select(kv => kv.Key).Union(a.Select(kv => kv.Key)).Order(StringComparer.Ordinal))
                Diff(address, path.Length == 0 ? key : $"{path}.{key}", b[key], a[key], into);
            return;
        }
        // Nested blocks are lists; when the block count is unchanged, name the attribute inside (versioning_configuration.0.status).
        if (before is JsonArray bl && after is JsonArray al && bl.Count == al.Count && bl.Concat(al).All(e => e is JsonObject))
        {
            for (var i = 0; i < bl.Count; i++)
                Diff(address, path.Length == 0 ? $"{i}" : $"{path}.{i}", bl[i], al[i], into);
            return;
        }
        if (!JsonNode.DeepEquals(before, after) && !(IsEmpty(before) && IsEmpty(after)))
            into.Add(new DriftedAttribute(address, path, Render(before), Render(after)));
    }

    // The provider reads back an unset map or list as empty; that is not drift.
    private static bool IsEmpty(JsonNode? value) => value is null || value is JsonObject { Count: 0 } || value is JsonArray { Count: 0 };

    private static string Render(JsonNode? value) => value is null ? "null" : value.ToJsonString();

    private static bool Matches(DriftIgnore rule, DriftedAttribute d) =>
        System.Text.RegularExpressions.Regex.IsMatch(d.Address, "^" + System.Text.RegularExpressions.Regex.Escape(rule.Address).Replace("\\*", ".*") + "$")
        && (rule.Attribute.Length == 0 || d.Attribute == rule.Attribute || d.Attribute.StartsWith(rule.Attribute + ".", StringComparison.Ordinal));

    /// <summary>
    /// Reads an ignore list: a JSON array of <c>{"address", "attribute", "reason"}</c>, optionally with
    /// <c>"when_tagged": {"key": "value"}</c> (then <c>attribute</c> must be <c>(resource)</c>).
    /// </summary>
    public static IReadOnlyList<DriftIgnore> ReadIgnoreList(string json)
    {
        var list = JsonSerializer.Deserialize<List<DriftIgnore>>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidDataException("the ignore list is empty");
        foreach (var rule in list)
        {
            var entry = $"ignore-list entry {{address: \"{rule.Address}\", attribute: \"{rule.Attribute}\"}}";
            if (string.IsNullOrWhiteSpace(rule.Address) || string.IsNullOrWhiteSpace(rule.Reason))
                throw new InvalidDataException($"{entry} needs an address and a reason");
            if (rule.WhenTagged is null) continue;
            // Tags on a live resource can be edited by anyone, so a tag may only explain a deletion, never an attribute.
            if (rule.Attribute != DriftIgnore.Deleted)
                throw new InvalidDataException($"{entry} has when_tagged, which explains only a deletion, but attribute is \"{rule.Attribute}\"; set attribute to \"{DriftIgnore.Deleted}\" or drop when_tagged");
            if (rule.WhenTagged.Count == 0 || rule.WhenTagged.Keys.Any(string.IsNullOrWhiteSpace))
                throw new InvalidDataException($"{entry} has when_tagged {JsonSerializer.Serialize(rule.WhenTagged)}; name at least one tag, e.g. {{\"mlopstf:auto-cleanup\": \"true\"}}");
        }
        return list;
    }

    /// <summary>The Markdown report.</summary>
    public string Markdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"### Drift check: `{Stack}` — {(ExitCode == 0 ? "clean" : "drift or pending changes")}");
        sb.AppendLine();
        sb.AppendLine($"**Drift** (changed outside Terraform): {Drift.Count}");
        if (Drift.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("| resource | attribute | recorded | actual |");
            sb.AppendLine("|---|---|---|---|");
            foreach (var d in Drift) sb.AppendLine($"| `{d.Address}` | `{d.Attribute}` | `{d.Recorded}` | `{d.Actual}` |");
        }
        sb.AppendLine();
        sb.AppendLine($"**Pending changes** (code not yet applied): {Pending.Count}");
        foreach (var p in Pending.OrderBy(p => p.Address, StringComparer.Ordinal)) sb.AppendLine($"- `{p.Address}` ({p.Action})");
        if (Expected.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine($"**Expected** (known states, not drift): {Expected.Count}");
            sb.AppendLine();
            sb.AppendLine("| resource | attribute | actual | reason |");
            sb.AppendLine("|---|---|---|---|");
            foreach (var e in Expected) sb.AppendLine($"| `{e.Address}` | `{e.Attribute}` | {e.Actual} | {e.Reason} |");
        }
        if (Ignored.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine($"Ignored by the ignore list: {Ignored.Count} ({string.Join(", ", Ignored.Select(i => $"`{i.Address}` `{i.Attribute}`").Distinct())})");
        }
        return sb.ToString();
    }

    /// <summary>The JSON report.</summary>
    public string Json() => JsonSerializer.Serialize(new
    {
        stack = Stack,
        status = ExitCode == 0 ? "clean" : "drift",
        exit_code = ExitCode,
        drift = Drift.Select(d => new { address = d.Address, attribute = d.Attribute, recorded = d.Recorded, actual = d.Actual }),
        pending = Pending.Select(p => new { address = p.Address, action = p.Action }),
        expected = Expected.Select(e => new { address = e.Address, attribute = e.Attribute, actual = e.Actual, reason = e.Reason }),
        ignored = Ignored.Select(d => new { address = d.Address, attribute = d.Attribute, reason = d.Reason }),
    }, new JsonSerializerOptions { WriteIndented = true });
}
