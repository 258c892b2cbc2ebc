namespace MlopsTf.Environments;

/// <summary>One problem in the configuration: where it is, what was given and how to fix it.</summary>
/// <param name="Environment">Environment name (or <c>*</c> for a rule across environments).</param>
/// <param name="Field">Dotted path of the field, e.g. <c>StateBackend.Bucket</c>.</param>
/// <param name="Value">The offending value as given.</param>
/// <param name="Problem">What is wrong with it.</param>
/// <param name="Fix">How to fix it.</param>
public sealed record ConfigError(string Environment, string Field, string Value, string Problem, string Fix)
{
    /// <inheritdoc />
    public override string ToString() => $"[{Environment}] {Field} = \"{Value}\": {Problem}. Fix: {Fix}.";
}

/// <summary>Thrown before anything is synthesized when the configuration has errors; lists every one.</summary>
public sealed class InvalidConfigurationException(IReadOnlyList<ConfigError> errors)
    : Exception($"Invalid configuration ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):{Environment.NewLine}"
        + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
