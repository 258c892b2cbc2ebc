using MlopsTf.PlanGuard;

if (args.Length > 0 && args[0] == "drift") return DriftCommand.Run(args[1..]);

// plan-guard --plan <show.json> --stack <name> [--markdown <file>] [--json <file>] [--approve-destructive | --approved <file>]
// Exit codes: 0 = no destructive change (or every one approved), 3 = a destructive change is not approved, 2 = usage or input error.
const string Usage = "Usage: plan-guard --plan <terraform show -json output> --stack <name> [--markdown <file>] [--json <file>] [--approve-destructive | --approved <approvals file>]";
var options = new Dictionary<string, string>();
var approveAll = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--approve-destructive":
            approveAll = true;
            break;
        case "--plan" or "--stack" or "--markdown" or "--json" or "--approved" when i + 1 < args.Length:
            options[args[i]] = args[++i];
            break;
        default:
            Console.Error.WriteLine($"error: unknown or incomplete argument '{args[i]}'. {Usage}");
            return 2;
    }
}
if (!options.TryGetValue("--plan", out var planPath) || !options.TryGetValue("--stack", out var stack))
{
    Console.Error.WriteLine($"error: --plan and --stack are required. {Usage}");
    return 2;
}
if (approveAll && options.ContainsKey("--approved"))
{
    Console.Error.WriteLine("error: --approve-destructive approves everything and --approved only what a file lists; pass one of them");
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
var approvals = approveAll ? Approvals.Everything : Approvals.None;
if (options.TryGetValue("--approved", out var approvedPath))
{
    try
    {
        approvals = Approvals.FromJson(stack, File.ReadAllText(approvedPath), approvedPath);
    }
    catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"error: --approved {approvedPath}: {e.Message}");
        return 2;
    }
}
var markdown = Reports.Markdown(plan, approvals);
if (options.TryGetValue("--markdown", out var md)) File.WriteAllText(md, markdown);
if (options.TryGetValue("--json", out var js)) File.WriteAllText(js, Reports.Json(plan, approvals));
Console.Write(markdown);
var unapproved = Reports.Unapproved(plan, approvals);
if (unapproved.Count > 0)
{
    Console.Error.WriteLine($"plan-guard: {unapproved.Count} destructive change(s) to stateful resources in {stack} not approved: "
        + string.Join(", ", unapproved.Select(c => $"{c.Address} ({c.Action})"))
        + (options.ContainsKey("--approved")
            ? $"; {approvedPath} does not list them. Approve them in a pull request (label approve-destructive) whose plan shows them, then merge it."
            : "; re-run with --approve-destructive once reviewed (CI: the pull request's approve-destructive label)."));
    return 3;
}
return 0;
