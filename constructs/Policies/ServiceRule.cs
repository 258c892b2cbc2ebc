namespace MlopsTf.Constructs.Policies;

/// <summary>
/// A rule that AWS's own APIs enforce, or whose breach leaves a resource silently useless, and that neither the
/// provider schema (<c>terraform validate</c>) nor the local stand-in checks. Each cites the AWS documentation page it
/// encodes; it runs in the same aspect, reports the same way and takes the same waivers as the security rules.
/// </summary>
/// <param name="id">Stable id; waivers name it.</param>
/// <param name="title">What the rule requires.</param>
/// <param name="documentation">The AWS documentation page the rule encodes.</param>
public abstract class ServiceRule(string id, string title, string documentation) : PolicyRule(id, title, documentation)
{
    /// <summary>The AWS documentation page the rule encodes (what <see cref="PolicyRule.Mirrors"/> names).</summary>
    public string Documentation => Mirrors;
}
