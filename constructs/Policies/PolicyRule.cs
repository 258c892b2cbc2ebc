namespace MlopsTf.Constructs.Policies;

/// <summary>How bad a finding is. Errors fail synth.</summary>
public enum Severity
{
    /// <summary>Reported; synth continues.</summary>
    Warning,

    /// <summary>Fails synth.</summary>
    Error,
}

/// <summary>One rule violated by one resource.</summary>
/// <param name="RuleId">Stable rule id, e.g. <c>MLOPSTF-S3-001</c>.</param>
/// <param name="Severity">Severity of the rule.</param>
/// <param name="Stack">Stack name.</param>
/// <param name="Address">Terraform address of the resource.</param>
/// <param name="Path">Construct path of the resource.</param>
/// <param name="Problem">What is wrong.</param>
/// <param name="Fix">How to fix it.</param>
public sealed record PolicyFinding(string RuleId, Severity Severity, string Stack, string Address, string Path, string Problem, string Fix)
{
    /// <inheritdoc />
    public override string ToString() => $"[{RuleId}] {Path} ({Address}): {Problem}. Fix: {Fix}.";
}

/// <summary>
/// A policy rule evaluated on a stack's synthesized Terraform JSON (tokens already resolved to references). One class
/// per rule; its doc comment names the checkov / trivy / cdk-nag ids it mirrors.
/// </summary>
/// <param name="id">Stable id; waivers name it.</param>
/// <param name="title">What the rule requires.</param>
/// <param name="mirrors">Scanner ids the rule mirrors.</param>
public abstract class PolicyRule(string id, string title, string mirrors)
{
    /// <summary>Stable id; waivers name it.</summary>
    public string Id => id;

    /// <summary>What the rule requires.</summary>
    public string Title => title;

    /// <summary>Scanner ids the rule mirrors.</summary>
    public string Mirrors => mirrors;

    /// <summary>Severity. Default: error.</summary>
    public virtual Severity Severity => Severity.Error;

    /// <summary>Findings in <paramref name="stack"/>.</summary>
    public abstract IEnumerable<PolicyFinding> Evaluate(StackDocument stack);

    /// <summary>A JSON number as a double; null when absent or not a number.</summary>
    protected static double? Number(JsonNode? node) =>
        node is JsonValue v ? v.TryGetValue<double>(out var d) ? d : v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : null : null;

    /// <summary>Whether a policy statement allows every principal (<c>*</c>).</summary>
    protected static bool AllowsEveryone(JsonNode? statement) =>
        statement?["effect"]?.GetValue<string>() == "Allow"
        && statement["principals"]?.AsArray().Any(p => p?["identifiers"]?.AsArray().Any(i => i?.GetValue<string>() == "*") == true) == true;

    /// <summary>A finding of this rule on <paramref name="resource"/>.</summary>
    protected PolicyFinding Finding(StackDocument stack, StackResource resource, string problem, string fix) =>
        new(Id, Severity, stack.Name, resource.Address, resource.Path, problem, fix);

    /// <summary>The findings of this rule: what <paramref name="check"/> reports of each item, on the resource <paramref name="resourceOf"/> names.</summary>
    protected IEnumerable<PolicyFinding> Findings<T>(StackDocument stack, IEnumerable<T> items, Func<T, StackResource> resourceOf, Func<T, IEnumerable<Violation>> check) =>
        from item in items
        from violation in check(item)
        select Finding(stack, resourceOf(item), violation);

    /// <summary>The findings of this rule on the documents of <paramref name="statements"/>: what <paramref name="check"/> reports of each.</summary>
    protected IEnumerable<PolicyFinding> Findings(StackDocument stack, IEnumerable<PolicyStatement> statements, Func<PolicyStatement, IEnumerable<Violation>> check) =>
        Findings(stack, statements, s => s.Document, check);

    /// <summary>The finding of this rule for <paramref name="violation"/> of <paramref name="resource"/>.</summary>
    protected PolicyFinding Finding(StackDocument stack, StackResource resource, Violation violation) =>
        Finding(stack, resource, violation.Problem, violation.Fix);
}
