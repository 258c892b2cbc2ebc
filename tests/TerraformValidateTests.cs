namespace MlopsTf.Tests;

/// <summary>
/// Runs the real <c>terraform init -backend=false</c> (from the provider mirror) and <c>terraform validate</c> on every
/// synthesized stack. The stacks are validated in parallel once; each case asserts on its own stack.
/// </summary>
[Collection(JsiiCollection.Name)]
public class TerraformValidateTests
{
    private sealed record Outcome(Command.Result Init, Command.Result? Validate);

    private static readonly Lazy<IReadOnlyDictionary<string, Outcome>> Outcomes = new(() =>
        ParallelRuns.Collect(SynthesizedApp.Instance.StackNames, Math.Max(2, Environment.ProcessorCount), stack =>
        {
            var dir = SynthesizedApp.Instance.StackDir(stack);
            var init = Terraform.Run(dir, "init", "-backend=false", "-input=false", "-no-color");
            return new Outcome(init, init.ExitCode == 0 ? Terraform.Run(dir, "validate", "-json", "-no-color") : null);
        }));

    [Theory]
    [MemberData(nameof(SnapshotTests.Stacks), MemberType = typeof(SnapshotTests))]
    public void Stack_initializes_from_the_mirror_and_validates(string stack)
    {
        var outcome = Outcomes.Value[stack];
        outcome.Init.AssertSucceeded($"terraform init of {stack}");
        var validate = outcome.Validate!;
        var report = JsonNode.Parse(validate.Stdout)!;
        var diagnostics = report["diagnostics"]!.AsArray()
            .Select(d => $"{d!["severity"]}: {d["summary"]} {d["detail"]} at {d["range"]?["filename"]}:{d["range"]?["start"]?["line"]}")
            .ToList();
        Assert.True(validate.ExitCode == 0 && report["valid"]!.GetValue<bool>(),
            $"terraform validate failed for {stack}:\n{string.Join("\n", diagnostics)}\n{validate.Stderr}");
        Assert.Equal(0, report["error_count"]!.GetValue<int>());
        Assert.True(report["warning_count"]!.GetValue<int>() == 0, $"warnings in {stack}:\n{string.Join("\n", diagnostics)}");
    }
}
