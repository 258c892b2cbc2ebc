namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>
/// Roles trusted by GitHub OIDC pin the audience and a repository environment: every subject the trust accepts names
/// one repository and one GitHub environment literally; a wildcard may only follow the environment (any ref or
/// workflow of that environment). Mirrors CKV_AWS_358, CKV_AWS_393.
/// </summary>
public sealed partial class GitHubOidcTrustRule() : PolicyRule(
    "MLOPSTF-OIDC-001",
    "Roles trusted by GitHub OIDC pin the audience and a repository environment",
    "CKV_AWS_358, CKV_AWS_393")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var role in stack.Resources("aws_iam_role"))
        {
            foreach (var statement in stack.PolicyStatements(role.String("assume_role_policy")))
            {
                if (statement?["actions"]?.AsArray().Any(a => a?.GetValue<string>() == "sts:AssumeRoleWithWebIdentity") != true) continue;
                var conditions = statement["condition"]?.AsArray() ?? [];
                var aud = conditions.Any(c => c?["variable"]?.GetValue<string>() == "token.actions.githubusercontent.com:aud"
                    && c["values"]?.AsArray().Select(v => v!.GetValue<string>()).SequenceEqual(["sts.amazonaws.com"]) == true);
                var sub = conditions.Where(c => c?["variable"]?.GetValue<string>() == "token.actions.githubusercontent.com:sub")
                    .SelectMany(c => c!["values"]!.AsArray().Select(v => (Test: c["test"]?.GetValue<string>(), Value: v!.GetValue<string>()))).ToList();
                if (!aud)
                    yield return Finding(stack, role, "the trust does not pin aud = sts.amazonaws.com", "add the audience condition");
                if (sub.Count == 0 || sub.Any(s => !PinnedSubject().IsMatch(s.Value) || s.Test is not ("StringEquals" or "StringLike")))
                    yield return Finding(stack, role, "the trust does not pin one repository and environment (sub)",
                        "trust repo:<owner>/<repo>:environment:<env> with StringEquals, or StringLike with a wildcard only after the environment");
            }
        }
    }

    // repo:OWNER/REPO or repo:OWNER@ID/REPO@ID, then environment:ENV, all without wildcards; anything may follow.
    [GeneratedRegex(@"^repo:[^*?:/]+/[^*?:/]+:environment:[^*?:]+(:.*)?$")]
    private static partial Regex PinnedSubject();
}
