using System.Text.Json.Nodes;

namespace MlopsTf.PlanGuard;

/// <summary>
/// Which destructive changes are approved: none, all (<c>--approve-destructive</c>, for local use), or exactly the
/// address and action pairs an approvals file lists for the stack (<c>--approved FILE</c>, what CI passes).
/// </summary>
public sealed class Approvals
{
    private readonly HashSet<(string Address, string Action)> _listed;

    private Approvals(bool all, IEnumerable<(string, string)> listed, string? source)
    {
        All = all;
        _listed = [.. listed];
        Source = source;
    }

    /// <summary>Nothing is approved.</summary>
    public static Approvals None { get; } = new(false, [], null);

    /// <summary>Every destructive change is approved.</summary>
    public static Approvals Everything { get; } = new(true, [], "--approve-destructive");

    /// <summary>Whether every destructive change is approved.</summary>
    public bool All { get; }

    /// <summary>Where the approvals come from (for the report), or null when there are none.</summary>
    public string? Source { get; }

    /// <summary>The listed pairs, in address order.</summary>
    public IReadOnlyList<(string Address, string Action)> Listed =>
        [.. _listed.OrderBy(l => l.Address, StringComparer.Ordinal).ThenBy(l => l.Action, StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="change"/> is approved: listed with exactly its address and action.</summary>
    public bool Approves(ResourceChange change) => All || _listed.Contains((change.Address, change.Action));

    /// <summary>
    /// Reads an approvals file: <c>{"version": 1, "environments": {"&lt;stack&gt;": [{"address": "...", "action":
    /// "replace"|"delete"}]}}</c> (other fields are ignored). A stack the file does not name has nothing approved.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not such a document; the message names the field and the fix.</exception>
    public static Approvals FromJson(string stack, string json, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"the approvals file is not JSON ({e.Message}); pass the file scripts/approval.py extract writes", e);
        }
        if (root is not JsonObject doc || doc["version"] is not JsonValue version || !version.TryGetValue<int>(out var v) || v != 1)
            throw new InvalidDataException($"the approvals file has version {root?["version"]?.ToJsonString() ?? "none"}; only version 1 is understood: {{\"version\": 1, \"environments\": {{...}}}}");
        if (doc["environments"] is not JsonObject environments)
            throw new InvalidDataException("the approvals file has no \"environments\" object; write {\"version\": 1, \"environments\": {\"<stack>\": [{\"address\": ..., \"action\": ...}]}}");
        var listed = new List<(string, string)>();
        if (environments[stack] is { } entry)
        {
            if (entry is not JsonArray changes)
                throw new InvalidDataException($"environments.{stack} in the approvals file is {entry.ToJsonString()}, not a list; write a list of {{\"address\", \"action\"}}");
            foreach (var (change, i) in changes.Select((c, i) => (c, i)))
            {
                var address = (change?["address"] as JsonValue)?.TryGetValue<string>(out var a) == true ? a : null;
                var action = (change?["action"] as JsonValue)?.TryGetValue<string>(out var b) == true ? b : null;
                if (string.IsNullOrEmpty(address))
                    throw new InvalidDataException($"environments.{stack}[{i}].address in the approvals file is {change?["address"]?.ToJsonString() ?? "missing"}; give the resource address as the plan names it");
                if (action is not ("replace" or "delete"))
                    throw new InvalidDataException($"environments.{stack}[{i}].action in the approvals file is {change?["action"]?.ToJsonString() ?? "missing"}; use \"replace\" or \"delete\"");
                listed.Add((address, action));
            }
        }
        return new Approvals(false, listed, source);
    }
}
