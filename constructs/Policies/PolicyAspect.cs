using System.Collections.Concurrent;
using Amazon.JSII.Runtime.Deputy;

namespace MlopsTf.Constructs.Policies;

/// <summary>
/// Runs the policy pack on each stack at synth: the stack's Terraform JSON (tokens resolved) is evaluated once, each
/// unwaived finding becomes an annotation on the stack (errors for error rules), and the results are kept for the
/// report and for the caller to fail synth.
/// </summary>
public sealed class PolicyAspect : DeputyBase, IAspect
{
    private readonly ConcurrentDictionary<string, StackPolicyResult> _results = new();

    /// <summary>Results by stack name, after synth.</summary>
    public IReadOnlyDictionary<string, StackPolicyResult> Results => _results;

    /// <summary>Every unwaived error across stacks.</summary>
    public IEnumerable<PolicyFinding> Errors => _results.Values.SelectMany(r => r.Findings).Where(f => f.Severity == Severity.Error);

    /// <inheritdoc />
    public void Visit(IConstruct node)
    {
        if (node is not TerraformStack stack) return;
        var terraform = SynthProfile.Time("policy: stack.ToTerraform() over jsii", stack.ToTerraform);
        var json = SynthProfile.Time("policy: to JsonNode", () => JsonNode.Parse(Newtonsoft.Json.JsonConvert.SerializeObject(terraform))!.AsObject());
        var result = SynthProfile.Time("policy: rules", () => PolicyPack.Evaluate(new StackDocument(stack.Node.Id, json)));
        _results[stack.Node.Id] = result;
        foreach (var finding in result.Findings)
        {
            if (finding.Severity == Severity.Error) Annotations.Of(stack).AddError(finding.ToString());
            else Annotations.Of(stack).AddWarning(finding.ToString());
        }
    }
}
