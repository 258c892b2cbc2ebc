using System.Text;

namespace MlopsTf.Constructs.Policies;

/// <summary>The rules that ran and the findings and waivers of every stack, as text and JSON.</summary>
public static class PolicyReport
{
    /// <summary>
    /// A text report: how many security and AWS service rules ran (each service rule by id and title), then per stack
    /// its unwaived findings and its waivers with their reasons.
    /// </summary>
    public static string Text(IEnumerable<StackPolicyResult> results)
    {
        var stacks = results.OrderBy(r => r.Stack, StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        sb.AppendLine($"{PolicyPack.Rules.Count} security rules and {ServicePack.Rules.Count} AWS service rules ran on {stacks.Count} stack(s); " +
                      "security rules: docs/policy-rules.md, service rules: docs/aws-rules.md");
        sb.AppendLine("AWS service rules:");
        foreach (var rule in ServicePack.Rules) sb.AppendLine($"  {rule.Id} {rule.Title}");
        foreach (var r in stacks)
        {
            sb.AppendLine($"{r.Stack}: {r.Findings.Count} finding(s), {r.Waived.Count} waived");
            foreach (var f in r.Findings) sb.AppendLine($"  {f.Severity.ToString().ToUpperInvariant()} {f}");
            foreach (var w in r.Waived) sb.AppendLine($"  WAIVED [{w.Finding.RuleId}] {w.Finding.Path}: {w.Reason}");
        }
        return sb.ToString();
    }

    /// <summary>A JSON report: per stack, its findings and waivers.</summary>
    public static string Json(IEnumerable<StackPolicyResult> results) => JsonSerializer.Serialize(
        results.OrderBy(r => r.Stack, StringComparer.Ordinal).Select(r => new
        {
            stack = r.Stack,
            findings = r.Findings.Select(f => new { rule = f.RuleId, severity = f.Severity.ToString().ToLowerInvariant(), address = f.Address, path = f.Path, problem = f.Problem, fix = f.Fix }),
            waivers = r.Waived.Select(w => new { rule = w.Finding.RuleId, address = w.Finding.Address, path = w.Finding.Path, reason = w.Reason }),
        }),
        new JsonSerializerOptions { WriteIndented = true });
}
