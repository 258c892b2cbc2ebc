namespace MlopsTf.PlanGuard;

/// <summary>
/// <c>plan-guard drift --refresh-only &lt;json&gt; --plan &lt;json&gt; --stack &lt;name&gt; [--ignore &lt;json&gt;]
/// [--markdown &lt;file&gt;] [--json &lt;file&gt;]</c>. Exit codes: 0 clean, 2 drift or pending changes, 1 error.
/// </summary>
public static class DriftCommand
{
    private const string Usage =
        "usage: plan-guard drift --refresh-only <terraform show -json of a -refresh-only plan> --plan <terraform show -json of a normal plan> --stack <name> [--ignore <ignore list>] [--markdown <file>] [--json <file>]";

    /// <summary>Runs the command.</summary>
    public static int Run(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--refresh-only" or "--plan" or "--stack" or "--ignore" or "--markdown" or "--json" && i + 1 < args.Length)
            {
                options[args[i]] = args[++i];
                continue;
            }
            Console.Error.WriteLine($"error: unknown or incomplete argument '{args[i]}'. {Usage}");
            return 1;
        }
        if (!options.TryGetValue("--refresh-only", out var refreshPath) || !options.TryGetValue("--plan", out var planPath) || !options.TryGetValue("--stack", out var stack))
        {
            Console.Error.WriteLine($"error: --refresh-only, --plan and --stack are required. {Usage}");
            return 1;
        }
        try
        {
            var ignore = options.TryGetValue("--ignore", out var ignorePath) ? DriftReport.ReadIgnoreList(File.ReadAllText(ignorePath)) : [];
            var report = DriftReport.Build(stack, File.ReadAllText(refreshPath), File.ReadAllText(planPath), ignore);
            var markdown = report.Markdown();
            if (options.TryGetValue("--markdown", out var md)) File.WriteAllText(md, markdown);
            if (options.TryGetValue("--json", out var js)) File.WriteAllText(js, report.Json());
            Console.Write(markdown);
            return report.ExitCode;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
