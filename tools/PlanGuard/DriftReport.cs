using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlopsTf.PlanGuard;

/// <summary>One attribute that changed outside Terraform.</summary>
/// <param name="Address">Resource address.</param>
/// <param name="Attribute">Attribute path, e.g. <c>tags.Owner</c>; <c>(resource)</c> when the resource is gone.</param>
/// <param name="Recorded">Value in the state.</param>
/// <param name="Actual">Value found in AWS.</param>
public sealed record DriftedAttribute(string Address, string Attribute, string Recorded, string Actual);

/// <summary>An ignore-list entry: an address pattern (<c>*</c> wildcards) and an attribute prefix (empty for all).</summary>
/// <param name="Address">Address pattern.</param>
/// <param name="Attribute">Attribute path prefix.</param>
/// <param name="Reason">Why the drift is expected.</param>
public sealed record DriftIgnore(string Address, string Attribute, string Reason);

/// <summary>
/// Drift (changed outside Terraform, from <c>terraform plan -refresh-only</c>) separated from pending changes (code not
/// yet applied, from a normal plan), minus the ignore list.
/// </summary>
public sealed record DriftReport(string Stack, IReadOnlyList<DriftedAttribute> Drift, IReadOnlyList<ResourceChange> Pending, IReadOnlyList<DriftedAttribute> Ignored)
{
    /// <summary>0 when clean, 2 when there is drift or pending change.</summary>
    public int ExitCode => Drift.Count > 0 || Pending.Count > 0 ? 2 : 0;

    /// <summary>Builds the report from the two plans' JSON.</summary>
    public static DriftReport Build(string stack, string refreshOnlyJson, string planJson, IReadOnlyList<DriftIgnore> ignore)
    {
        var refresh = JsonNode.Parse(refreshOnlyJson) ?? throw new InvalidDataException("the refresh-only plan is empty");
        var drift = new List<DriftedAttribute>();
        foreach (var rd in refresh["resource_drift"]?.AsArray() ?? [])
        {
            if (rd?["mode"]?.GetValue<string>() != "managed") continue;
            var address = rd["address"]!.GetValue<string>();
            var change = rd["change"]!;
            var actions = change["actions"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
            if (actions.Contains("delete"))
                drift.Add(new DriftedAttribute(address, "(resource)", "exists", "deleted outside Terraform"));
            else
                Diff(address, "", change["before"], change["after"], drift);
        }
        var ignored = drift.Where(d => ignore.Any(i => Matches(i, d))).ToList();
        var drifted = drift.Except(ignored).ToList();
        var driftedAddresses = drift.Select(d => d.Address).ToHashSet();
        var pending = PlanAnalysis.FromPlanJson(stack, planJson).Changes.Where(c => !driftedAddresses.Contains(c.Address)).ToList();
        return new DriftReport(stack, drifted, pending, ignored);
    }

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

    /// <summary>Reads an ignore list: a JSON array of <c>{"address", "attribute", "reason"}</c>.</summary>
    public static IReadOnlyList<DriftIgnore> ReadIgnoreList(string json)
    {
        var list = JsonSerializer.Deserialize<List<DriftIgnore>>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidDataException("the ignore list is empty");
        foreach (var rule in list.Where(r => string.IsNullOrWhiteSpace(r.Address) || string.IsNullOrWhiteSpace(r.Reason)))
            throw new InvalidDataException($"ignore-list entry {{address: \"{rule.Address}\", attribute: \"{rule.Attribute}\"}} needs an address and a reason");
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
        ignored = Ignored.Select(d => new { address = d.Address, attribute = d.Attribute }),
    }, new JsonSerializerOptions { WriteIndented = true });
}
