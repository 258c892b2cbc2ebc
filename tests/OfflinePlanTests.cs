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

    private sealed record Run(Command.Result Plan, string PlansDir);

    /// <summary>The offline plan of an environment's synthesized JSON (<c>terraform show -json</c>), planned once per run.</summary>
    public static string PlanJson(string env)
    {
        var run = Runs.Value[env];
        run.Plan.AssertSucceeded($"offline plan of {env}");
        return File.ReadAllText(Path.Combine(run.PlansDir, $"{env}.json"));
    }

    private static readonly Lazy<IReadOnlyDictionary<string, Run>> Runs = new(() =>
        ParallelRuns.Collect(Platform.Environments.Select(e => e.Name), 2, env =>
        {
            var outDir = Path.Combine(SynthesizedApp.Instance.OutDir, "offline-plans", env);
            SynthesizedApp.Instance.CopyStack(env, Path.Combine(outDir, "stacks", env));
            var plan = Command.Run("bash", [Path.Combine(RepoPaths.Root, "scripts", "plan.sh"), env],
                environment: new Dictionary<string, string> { ["CDKTF_OUTDIR"] = outDir, ["OFFLINE"] = "1" });
            return new Run(plan, Path.Combine(outDir, "plans"));
        }));

    [Theory]
    [MemberData(nameof(Environments))]
    public void Offline_plan_creates_exactly_what_the_stack_describes(string env)
    {
        var run = Runs.Value[env];
        run.Plan.AssertSucceeded($"offline plan of {env}");
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
