using System.Collections.Concurrent;

namespace MlopsTf.Tests;

/// <summary>
/// Runs the real <c>terraform init -backend=false</c> (from the provider mirror) and <c>terraform validate</c> on every
/// synthesized stack. The stacks are validated in parallel once; each case asserts on its own stack.
/// </summary>
[Collection(JsiiCollection.Name)]
public class TerraformValidateTests
{
    private sealed record Outcome(Command.Result Init, Command.Result? Validate);

    private static readonly Lazy<IReadOnlyDictionary<string, Outcome>> Outcomes = new(ValidateAll);

    private static IReadOnlyDictionary<string, Outcome> ValidateAll()
    {
        var app = SynthesizedApp.Instance;
        var results = new ConcurrentDictionary<string, Outcome>();
        void InitAndValidate(string stack)
        {
            var dir = app.StackDir(stack);
            var init = Terraform.Run(dir, "init", "-backend=false", "-input=false", "-no-color");
            var validate = init.ExitCode == 0 ? Terraform.Run(dir, "validate", "-json", "-no-color") : null;
            results[stack] = new Outcome(init, validate);
        }
        Parallel.ForEach(app.StackNames, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) }, InitAndValidate);
        return results;
    }

    [Theory]
    [MemberData(nameof(SnapshotTests.Stacks), MemberType = typeof(SnapshotTests))]
    public void Stack_initializes_from_the_mirror_and_validates(string stack)
    {
        var outcome = Outcomes.Value[stack];
        Assert.True(outcome.Init.ExitCode == 0, $"terraform init failed for {stack}:\n{outcome.Init.Output}");
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
