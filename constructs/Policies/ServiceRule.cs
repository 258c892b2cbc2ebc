namespace MlopsTf.Constructs.Policies;

/// <summary>
/// A rule that AWS's own APIs enforce, or whose breach leaves a resource silently useless, and that neither the
/// provider schema (<c>terraform validate</c>) nor the local stand-in checks. Each cites the AWS documentation page it
/// encodes; it runs in the same aspect, reports the same way and takes the same waivers as the security rules.
/// </summary>
public abstract class ServiceRule : PolicyRule
{
    /// <summary>The AWS documentation page the rule encodes.</summary>
    public abstract string Documentation { get; }

    /// <inheritdoc />
    public override string Mirrors => Documentation;
}
