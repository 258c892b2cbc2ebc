namespace MlopsTf.Environments;

/// <summary>Synthesizes an app, writes the policy report, and fails (removing the stacks) on any policy error.</summary>
public static class SynthRunner
{
    /// <summary>Exit code for policy errors.</summary>
    public const int PolicyFailure = 2;

    /// <summary>Synthesizes <paramref name="app"/>; returns 0, or <see cref="PolicyFailure"/> after printing the findings.</summary>
    public static int Synth(App app, PolicyCheck policy, TextWriter errors)
    {
        var completed = false;
        try
        {
            SynthProfile.Time("app.Synth (aspects, validations, resolve, write)", () => { app.Synth(); return 0; });
            completed = true;
        }
        catch (Exception) when (policy.Errors.Any())
        {
            // CDKTF stops at the first stack with error annotations; its findings are reported below.
        }
        // The check is a stack validation; an app made with SkipValidation would otherwise pass unchecked.
        if (completed && policy.Unchecked.ToList() is [_, ..] skipped)
        {
            RemoveStacks(app);
            errors.WriteLine($"Policy check did not run on {string.Join(", ", skipped)}: AppConfig.SkipValidation is true, " +
                "and the policy pack runs as a stack validation. Fix: create the App without SkipValidation.");
            return PolicyFailure;
        }
        Directory.CreateDirectory(app.Outdir);
        var report = Path.Combine(app.Outdir, "policy-report.txt");
        File.WriteAllText(report, PolicyReport.Text(policy.Results.Values));
        File.WriteAllText(Path.Combine(app.Outdir, "policy-report.json"), PolicyReport.Json(policy.Results.Values));
        var findings = policy.Errors.ToList();
        if (findings.Count == 0) return 0;
        // Nothing that fails policy may be left looking valid.
        RemoveStacks(app);
        errors.WriteLine($"Policy check failed ({findings.Count} finding(s)); see {report}:");
        foreach (var finding in findings) errors.WriteLine($"  - {finding}");
        return PolicyFailure;
    }

    private static void RemoveStacks(App app)
    {
        var stacks = Path.Combine(app.Outdir, "stacks");
        if (Directory.Exists(stacks)) Directory.Delete(stacks, recursive: true);
    }
}
