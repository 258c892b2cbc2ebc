namespace MlopsTf.Environments;

/// <summary>Synthesizes an app, writes the policy report, and fails (removing the stacks) on any policy error.</summary>
public static class SynthRunner
{
    /// <summary>Exit code for policy errors.</summary>
    public const int PolicyFailure = 2;

    /// <summary>Synthesizes <paramref name="app"/>; returns 0, or <see cref="PolicyFailure"/> after printing the findings.</summary>
    public static int Synth(App app, PolicyAspect policy, TextWriter errors)
    {
        try
        {
            SynthProfile.Time("app.Synth (aspects, resolve, write)", () => { app.Synth(); return 0; });
        }
        catch (Exception) when (policy.Errors.Any())
        {
            // CDKTF refuses to finish a synth with error annotations; the findings are reported below.
        }
        Directory.CreateDirectory(app.Outdir);
        var report = Path.Combine(app.Outdir, "policy-report.txt");
        File.WriteAllText(report, PolicyReport.Text(policy.Results.Values));
        File.WriteAllText(Path.Combine(app.Outdir, "policy-report.json"), PolicyReport.Json(policy.Results.Values));
        var findings = policy.Errors.ToList();
        if (findings.Count == 0) return 0;
        // Nothing that fails policy may be left looking valid.
        var stacks = Path.Combine(app.Outdir, "stacks");
        if (Directory.Exists(stacks)) Directory.Delete(stacks, recursive: true);
        errors.WriteLine($"Policy check failed ({findings.Count} finding(s)); see {report}:");
        foreach (var finding in findings) errors.WriteLine($"  - {finding}");
        return PolicyFailure;
    }
}
