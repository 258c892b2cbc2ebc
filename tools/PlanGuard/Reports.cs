using System.Text;
using System.Text.Json;

namespace MlopsTf.PlanGuard;

/// <summary>The Markdown summary (for PR comments) and the JSON verdict (for machines).</summary>
public static class Reports
{
    private static readonly string[] Actions = ["create", "update", "replace", "delete"];

    /// <summary>Markdown: counts per action, the addresses per action, and what needs approval.</summary>
    public static string Markdown(PlanAnalysis plan, Approvals approvals)
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
            var unapproved = Unapproved(plan, approvals);
            sb.AppendLine(unapproved.Count == 0
                ? $"**Destructive changes to stateful resources — approved ({approvals.Source}):**"
                : "**Destructive changes to stateful resources — explicit approval required:**");
            foreach (var c in plan.Destructive)
                sb.AppendLine(approvals.Approves(c) || unapproved.Count == 0 ? $"- `{c.Address}` ({c.Action})" : $"- `{c.Address}` ({c.Action}) — not approved");
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

    /// <summary>The verdict (<c>ok</c>, <c>approved</c> or <c>needs-approval</c>) with every change and what is not approved.</summary>
    public static string Json(PlanAnalysis plan, Approvals approvals) => JsonSerializer.Serialize(new
    {
        stack = plan.Stack,
        verdict = Verdict(plan, approvals),
        counts = Actions.ToDictionary(a => a, a => plan.Of(a).Count),
        destructive = plan.Destructive.Select(c => new { address = c.Address, type = c.Type, action = c.Action }),
        unapproved = Unapproved(plan, approvals).Select(c => new { address = c.Address, type = c.Type, action = c.Action }),
        approvals = approvals.Source,
        changes = Actions.ToDictionary(a => a, a => plan.Of(a).Select(c => c.Address)),
    }, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>The verdict word.</summary>
    public static string Verdict(PlanAnalysis plan, Approvals approvals) =>
        plan.Destructive.Count == 0 ? "ok" : Unapproved(plan, approvals).Count == 0 ? "approved" : "needs-approval";

    /// <summary>The destructive changes <paramref name="approvals"/> does not approve.</summary>
    public static IReadOnlyList<ResourceChange> Unapproved(PlanAnalysis plan, Approvals approvals) =>
        [.. plan.Destructive.Where(c => !approvals.Approves(c))];
}
