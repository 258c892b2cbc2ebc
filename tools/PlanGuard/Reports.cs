using System.Text;
using System.Text.Json;

namespace MlopsTf.PlanGuard;

/// <summary>The Markdown summary (for PR comments) and the JSON verdict (for machines).</summary>
public static class Reports
{
    private static readonly string[] Actions = ["create", "update", "replace", "delete"];

    /// <summary>Markdown: counts per action, the addresses per action, and what needs approval.</summary>
    public static string Markdown(PlanAnalysis plan, bool approved)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"### Plan: `{plan.Stack}`");
        sb.AppendLine();
        sb.AppendLine("| create | update | replace | delete |");
        sb.AppendLine("|---|---|---|---|");
        sb.AppendLine($"| {string.Join(" | ", Actions.Select(a => plan.Of(a).Count))} |");
        sb.AppendLine();
        if (plan.Destructive.Count > 0)
        {
            sb.AppendLine(approved
                ? "**Destructive changes to stateful resources — approved:**"
                : "**Destructive changes to stateful resources — explicit approval required:**");
            foreach (var c in plan.Destructive) sb.AppendLine($"- `{c.Address}` ({c.Action})");
            sb.AppendLine();
        }
        foreach (var action in Actions)
        {
            var changes = plan.Of(action);
            if (changes.Count == 0) continue;
            sb.AppendLine($"<details><summary>{action} ({changes.Count})</summary>");
            sb.AppendLine();
            foreach (var c in changes) sb.AppendLine($"- `{c.Address}`");
            sb.AppendLine();
            sb.AppendLine("</details>");
            sb.AppendLine();
        }
        if (plan.Changes.Count == 0) sb.AppendLine("No changes.");
        return sb.ToString();
    }

    /// <summary>The verdict: <c>ok</c>, <c>approved</c> or <c>needs-approval</c>, with every change.</summary>
    public static string Json(PlanAnalysis plan, bool approved) => JsonSerializer.Serialize(new
    {
        stack = plan.Stack,
        verdict = Verdict(plan, approved),
        counts = Actions.ToDictionary(a => a, a => plan.Of(a).Count),
        destructive = plan.Destructive.Select(c => new { address = c.Address, type = c.Type, action = c.Action }),
        changes = Actions.ToDictionary(a => a, a => plan.Of(a).Select(c => c.Address)),
    }, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>The verdict word.</summary>
    public static string Verdict(PlanAnalysis plan, bool approved) =>
        plan.Destructive.Count == 0 ? "ok" : approved ? "approved" : "needs-approval";
}
