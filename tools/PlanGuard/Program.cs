using MlopsTf.PlanGuard;

if (args.Length > 0 && args[0] == "drift") return DriftCommand.Run(args[1..]);

// plan-guard --plan <show.json> --stack <name> [--markdown <file>] [--json <file>] [--approve-destructive]
// Exit codes: 0 = no destructive change (or approved), 3 = destructive change needs approval, 2 = usage or input error.
var options = new Dictionary<string, string>();
var approved = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--approve-destructive":
            approved = true;
            break;
        case "--plan" or "--stack" or "--markdown" or "--json" when i + 1 < args.Length:
            options[args[i]] = args[++i];
            break;
        default:
            Console.Error.WriteLine($"error: unknown or incomplete argument '{args[i]}'. Usage: plan-guard --plan <terraform show -json output> --stack <name> [--markdown <file>] [--json <file>] [--approve-destructive]");
            return 2;
    }
}
if (!options.TryGetValue("--plan", out var planPath) || !options.TryGetValue("--stack", out var stack))
{
    Console.Error.WriteLine("error: --plan and --stack are required. Usage: plan-guard --plan <terraform show -json output> --stack <name> [--markdown <file>] [--json <file>] [--approve-destructive]");
    return 2;
}
PlanAnalysis plan;
try
{
    plan = PlanAnalysis.FromPlanJson(stack, File.ReadAllText(planPath));
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: --plan {planPath}: {e.Message}");
    return 2;
}
var markdown = Reports.Markdown(plan, approved);
if (options.TryGetValue("--markdown", out var md)) File.WriteAllText(md, markdown);
if (options.TryGetValue("--json", out var js)) File.WriteAllText(js, Reports.Json(plan, approved));
Console.Write(markdown);
var verdict = Reports.Verdict(plan, approved);
if (verdict == "needs-approval")
{
    Console.Error.WriteLine($"plan-guard: {plan.Destructive.Count} destructive change(s) to stateful resources in {stack}; re-run with --approve-destructive (CI: the PR's approval label) once reviewed.");
    return 3;
}
return 0;
