using System.Text;
using System.Text.Json;

namespace MlopsTf.Constructs.Policies;

/// <summary>The findings and waivers of every stack, as text and JSON.</summary>
public static class PolicyReport
{
    /// <summary>A text report: per stack, unwaived findings then waivers with reasons.</summary>
    public static string Text(IEnumerable<StackPolicyResult> results)
    {
        var sb = new StringBuilder();
        foreach (var r in results.OrderBy(r => r.Stack, StringComparer.Ordinal))
        {
            sb.AppendLine($"{r.Stack}: {r.Findings.Count} finding(s), {r.Waived.Count} waived");
            foreach (var f in r.Findings) sb.AppendLine($"  {f.Severity.ToString().ToUpperInvariant()} {f}");
            foreach (var w in r.Waived) sb.AppendLine($"  WAIVED [{w.Finding.RuleId}] {w.Finding.Path}: {w.Reason}");
        }
        return sb.ToString();
    }

    /// <summary>A JSON report.</summary>
    public static string Json(IEnumerable<StackPolicyResult> results) => JsonSerializer.Serialize(
        results.OrderBy(r => r.Stack, StringComparer.Ordinal).Select(r => new
        {
            stack = r.Stack,
            findings = r.Findings.Select(f => new { rule = f.RuleId, severity = f.Severity.ToString().ToLowerInvariant(), address = f.Address, path = f.Path, problem = f.Problem, fix = f.Fix }),
            waivers = r.Waived.Select(w => new { rule = w.Finding.RuleId, address = w.Finding.Address, path = w.Finding.Path, reason = w.Reason }),
        }),
        new JsonSerializerOptions { WriteIndented = true });
}
