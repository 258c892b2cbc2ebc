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
public abstract class PolicyRule
{
    /// <summary>Stable id; waivers name it.</summary>
    public abstract string Id { get; }

    /// <summary>What the rule requires.</summary>
    public abstract string Title { get; }

    /// <summary>Scanner ids the rule mirrors.</summary>
    public abstract string Mirrors { get; }

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
}

/// <summary>A resource of a synthesized stack.</summary>
/// <param name="Type">Resource type.</param>
/// <param name="Name">Resource name.</param>
/// <param name="Body">Its configuration.</param>
public sealed record StackResource(string Type, string Name, JsonObject Body)
{
    /// <summary><c>type.name</c>.</summary>
    public string Address => $"{Type}.{Name}";

    /// <summary>Construct path.</summary>
    public string Path => Body["//"]?["metadata"]?["path"]?.GetValue<string>() ?? Address;

    /// <summary>A Terraform reference to one of its attributes, as it appears in other resources.</summary>
    public string Ref(string attribute) => $"${{{Address}.{attribute}}}";

    /// <summary>A string attribute, or null.</summary>
    public string? String(string attribute) => Body[attribute] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A boolean attribute; false when absent or not a boolean.</summary>
    public bool True(string attribute) => Body[attribute] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}

/// <summary>The synthesized JSON of one stack, indexed for the rules.</summary>
public sealed class StackDocument(string name, JsonObject json)
{
    /// <summary>Stack name.</summary>
    public string Name { get; } = name;

    /// <summary>The JSON.</summary>
    public JsonObject Json { get; } = json;

    /// <summary>Resources of <paramref name="type"/>.</summary>
    public IEnumerable<StackResource> Resources(string type) =>
        (Json["resource"]?[type] as JsonObject)?.Select(kv => new StackResource(type, kv.Key, kv.Value!.AsObject())) ?? [];

    /// <summary>The statements of the policy document a <c>${data.aws_iam_policy_document.X.json}</c> reference points at.</summary>
    public JsonArray PolicyStatements(string? reference)
    {
        var match = reference is null ? null : System.Text.RegularExpressions.Regex.Match(reference, @"^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$");
        return match is { Success: true } && Json["data"]?["aws_iam_policy_document"]?[match.Groups[1].Value]?["statement"] is JsonArray statements
            ? statements
            : [];
    }

    /// <summary>Resources of <paramref name="type"/> whose <paramref name="attribute"/> references <paramref name="target"/>'s id or name.</summary>
    public IEnumerable<StackResource> Referencing(string type, string attribute, StackResource target) =>
        Resources(type).Where(r => r.String(attribute) is { } value && (value == target.Ref("id") || value == target.Ref("bucket") || value == target.Ref("name")));
}
