using System.Collections.Concurrent;

namespace MlopsTf.Constructs.Policies;

/// <summary>
/// Runs the policy pack on each stack it is attached to, once per stack at synth: the stack's Terraform JSON (tokens
/// resolved) is evaluated, each unwaived finding becomes an annotation on the stack (errors for error rules), and the
/// results are kept for the report and for the caller to fail synth.
/// </summary>
/// <remarks>
/// The check is a validation of the stack (<see cref="StackPolicyValidation"/>), not an aspect: CDKTF visits an
/// aspect once per construct, each visit a round trip from the jsii kernel to .NET, while it runs a stack's validation
/// once, after the aspects and before it collects the annotations. An app made with <c>SkipValidation</c> skips it,
/// which <see cref="Unchecked"/> reveals.
/// </remarks>
public sealed class PolicyCheck
{
    private readonly ConcurrentDictionary<string, StackPolicyResult> _results = new();
    private readonly List<string> _stacks = [];

    /// <summary>Results by stack name, after synth.</summary>
    public IReadOnlyDictionary<string, StackPolicyResult> Results => _results;

    /// <summary>Every unwaived error across stacks.</summary>
    public IEnumerable<PolicyFinding> Errors => _results.Values.SelectMany(r => r.Findings).Where(f => f.Severity == Severity.Error);

    /// <summary>The attached stacks the pack has not evaluated (after synth: none, unless validations were skipped).</summary>
    public IEnumerable<string> Unchecked => _stacks.Where(s => !_results.ContainsKey(s));

    /// <summary>Evaluates <paramref name="stack"/> when the app is synthesized; returns the stack.</summary>
    public TerraformStack Attach(TerraformStack stack)
    {
        var name = stack.Node.Id;
        _stacks.Add(name);
        stack.Node.AddValidation(new StackPolicyValidation(stack, name, this));
        return stack;
    }

    internal void Evaluate(TerraformStack stack, string name)
    {
        var terraform = SynthProfile.Time("policy: stack.ToTerraform() over jsii", stack.ToTerraform);
        var json = SynthProfile.Time("policy: to JsonNode", () => JsonNode.Parse(Newtonsoft.Json.JsonConvert.SerializeObject(terraform))!.AsObject());
        var result = SynthProfile.Time("policy: rules", () => PolicyPack.Evaluate(new StackDocument(name, json)));
        _results[name] = result;
        foreach (var finding in result.Findings)
        {
            if (finding.Severity == Severity.Error) Annotations.Of(stack).AddError(finding.ToString());
            else Annotations.Of(stack).AddWarning(finding.ToString());
        }
    }
}
