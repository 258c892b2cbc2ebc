using System.Collections.Concurrent;
using MlopsTf.PlanGuard;

namespace MlopsTf.Tests;

/// <summary>
/// <c>scripts/plan.sh &lt;env&gt;</c> with <c>OFFLINE=1</c> on every environment stack: a real terraform plan with no
/// network, whose JSON the plan guard then reads.
/// </summary>
[Collection(JsiiCollection.Name)]
public class OfflinePlanTests
{
    public static TheoryData<string> Environments => new(Platform.Environments.Select(e => e.Name));

    private sealed record Run(int ExitCode, string Output, string PlansDir);

    private static readonly Lazy<IReadOnlyDictionary<string, Run>> Runs = new(() =>
    {
        var results = new ConcurrentDictionary<string, Run>();
        Parallel.ForEach(Platform.Environments, new ParallelOptions { MaxDegreeOfParallelism = 2 }, env =>
        {
            var outDir = Path.Combine(SynthesizedApp.Instance.OutDir, "offline-plans", env.Name);
            var stackDir = Path.Combine(outDir, "stacks", env.Name);
            SynthesizedApp.Instance.CopyStack(env.Name, stackDir);
            var psi = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "scripts", "plan.sh"), env.Name])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            psi.Environment["CDKTF_OUTDIR"] = outDir;
            psi.Environment["OFFLINE"] = "1";
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            results[env.Name] = new Run(p.ExitCode, stdout.Result + stderr.Result, Path.Combine(outDir, "plans"));
        });
        return results;
    });

    [Theory]
    [MemberData(nameof(Environments))]
    public void Offline_plan_creates_exactly_what_the_stack_describes(string env)
    {
        var run = Runs.Value[env];
        Assert.True(run.ExitCode == 0, $"offline plan failed for {env}:\n{run.Output}");
        var plan = PlanAnalysis.FromPlanJson(env, File.ReadAllText(Path.Combine(run.PlansDir, $"{env}.json")));
        var synthesized = SynthesizedApp.Instance.Document(env).AllResources.Select(r => r.Address).Order(StringComparer.Ordinal);
        Assert.Equal(synthesized, plan.Of("create").Select(c => c.Address));
        Assert.DoesNotContain(plan.Changes, c => c.Action != "create");
        var verdict = JsonNode.Parse(File.ReadAllText(Path.Combine(run.PlansDir, $"{env}.verdict.json")))!;
        Assert.Equal("ok", verdict["verdict"]!.GetValue<string>());
        Assert.Contains($"### Plan: `{env}`", File.ReadAllText(Path.Combine(run.PlansDir, $"{env}.md")));
    }

    [Fact]
    public void Offline_plan_calls_no_aws_api_for_values_the_configuration_knows()
    {
        foreach (var env in Platform.Environments)
        {
            var data = SynthesizedApp.Instance.Document(env.Name).DataTypes.ToHashSet();
            Assert.Subset(new HashSet<string> { "aws_iam_policy_document", "aws_sagemaker_prebuilt_ecr_image" }, data);
        }
    }

    [Fact]
    public void Plan_guard_rejects_input_that_is_not_a_plan()
    {
        var ex = Assert.Throws<InvalidDataException>(() => PlanAnalysis.FromPlanJson("dev", "{\"resources\": []}"));
        Assert.Contains("not a Terraform plan", ex.Message);
        Assert.Throws<InvalidDataException>(() => PlanAnalysis.FromPlanJson("dev", "not json"));
    }
}
