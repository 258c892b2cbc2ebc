namespace MlopsTf.Tests;

/// <summary>
/// The exit path from CDKTF: the app synthesized as HCL by <c>make hcl</c> (the app run with
/// <c>SYNTH_HCL_OUTPUT=true</c>, which is what <c>cdktf synth --hcl</c> sets) is configuration Terraform accepts, and
/// each environment's HCL plans exactly what its JSON plans.
/// </summary>
[Collection(JsiiCollection.Name)]
public class HclExportTests
{
    // CDKTF's HCL printer quotes depends_on entries; Terraform accepts them with this warning.
    private const string QuotedReferences = "Quoted references are deprecated";

    private sealed record Outcome(Command.Result Init, Command.Result? Validate);

    private static readonly Lazy<string> HclDir = new(() =>
    {
        var dir = Path.Combine(SynthesizedApp.Instance.OutDir, "hcl");
        Command.Run("bash", [Path.Combine(RepoPaths.Root, "scripts", "hcl.sh"), dir], workingDirectory: RepoPaths.Root)
            .AssertSucceeded("scripts/hcl.sh (make hcl)");
        return dir;
    });

    private static string StackDir(string stack) => Path.Combine(HclDir.Value, "stacks", stack);

    private static readonly Lazy<IReadOnlyDictionary<string, Outcome>> Validations = new(() =>
        ParallelRuns.Collect(SynthesizedApp.Instance.StackNames, Math.Max(2, Environment.ProcessorCount), stack =>
        {
            var dir = StackDir(stack);
            var init = Terraform.Run(dir, "init", "-backend=false", "-input=false", "-no-color");
            return new Outcome(init, init.ExitCode == 0 ? Terraform.Run(dir, "validate", "-json", "-no-color") : null);
        }));

    private static readonly Lazy<IReadOnlyDictionary<string, Command.Result>> Plans = new(() =>
        ParallelRuns.Collect(Platform.Environments.Select(e => e.Name), 2, env =>
        {
            var outDir = Path.Combine(HclDir.Value, "offline-plans", env);
            var target = Path.Combine(outDir, "stacks", env);
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            foreach (var file in Directory.EnumerateFiles(StackDir(env), "*", SearchOption.AllDirectories)
                         .Where(f => !Path.GetRelativePath(StackDir(env), f).StartsWith(".terraform", StringComparison.Ordinal)))
            {
                var copy = Path.Combine(target, Path.GetRelativePath(StackDir(env), file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }
            return Command.Run("bash", [Path.Combine(RepoPaths.Root, "scripts", "plan.sh"), env],
                environment: new Dictionary<string, string> { ["CDKTF_OUTDIR"] = outDir, ["OFFLINE"] = "1" });
        }));

    [Theory]
    [MemberData(nameof(SnapshotTests.Stacks), MemberType = typeof(SnapshotTests))]
    public void The_hcl_of_every_stack_initializes_and_validates(string stack)
    {
        Assert.True(File.Exists(Path.Combine(StackDir(stack), "cdk.tf")), $"no cdk.tf for {stack}");
        Assert.False(File.Exists(Path.Combine(StackDir(stack), "cdk.tf.json")), $"{stack}: the HCL export also wrote cdk.tf.json");
        var outcome = Validations.Value[stack];
        outcome.Init.AssertSucceeded($"terraform init of {stack}'s HCL");
        var validate = outcome.Validate!;
        var report = JsonNode.Parse(validate.Stdout)!;
        var diagnostics = report["diagnostics"]!.AsArray().Select(d => (
            Severity: d!["severity"]!.GetValue<string>(),
            Text: $"{d["severity"]}: {d["summary"]} {d["detail"]} at {d["range"]?["filename"]}:{d["range"]?["start"]?["line"]}",
            Summary: d["summary"]!.GetValue<string>())).ToList();
        Assert.True(validate.ExitCode == 0 && report["valid"]!.GetValue<bool>(),
            $"terraform validate failed for {stack}'s HCL:\n{string.Join("\n", diagnostics.Select(d => d.Text))}\n{validate.Stderr}");
        Assert.DoesNotContain(diagnostics, d => d.Severity == "warning" && d.Summary != QuotedReferences);
    }

    [Theory]
    [MemberData(nameof(OfflinePlanTests.Environments), MemberType = typeof(OfflinePlanTests))]
    public void The_hcl_and_the_json_of_an_environment_plan_the_same(string env)
    {
        var hclRun = Plans.Value[env];
        hclRun.AssertSucceeded($"offline plan of {env}'s HCL");
        var hcl = PlannedChanges(File.ReadAllText(Path.Combine(HclDir.Value, "offline-plans", env, "plans", $"{env}.json")));
        var json = PlannedChanges(OfflinePlanTests.PlanJson(env));
        Assert.True(json.Count > 50, $"{env}: only {json.Count} planned changes");
        var differing = json.Keys.Union(hcl.Keys).Order(StringComparer.Ordinal)
            .Where(a => !hcl.TryGetValue(a, out var h) || !json.TryGetValue(a, out var j) || !JsonNode.DeepEquals(h, j)).ToList();
        Assert.True(differing.Count == 0,
            $"{env}: {differing.Count} addresses plan differently from HCL and JSON, e.g.\n" + string.Join("\n", differing.Take(5).Select(a =>
                $"{a}\n  json: {(json.TryGetValue(a, out var j) ? j.ToJsonString() : "absent")}\n  hcl:  {(hcl.TryGetValue(a, out var h) ? h.ToJsonString() : "absent")}")));
    }

    /// <summary>Per address (and per output), the actions and the planned values, known and unknown.</summary>
    private static Dictionary<string, JsonNode> PlannedChanges(string planJson)
    {
        var plan = JsonNode.Parse(planJson)!;
        var changes = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var change in plan["resource_changes"]!.AsArray())
            changes[change!["address"]!.GetValue<string>()] = new JsonObject
            {
                ["actions"] = change["change"]!["actions"]!.DeepClone(),
                ["after"] = change["change"]!["after"]?.DeepClone(),
                ["after_unknown"] = change["change"]!["after_unknown"]?.DeepClone(),
            };
        foreach (var (name, output) in plan["output_changes"]?.AsObject() ?? [])
            changes[$"output.{name}"] = output!.DeepClone();
        return changes;
    }
}
