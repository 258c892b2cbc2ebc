namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Role trust policies name their principals. Mirrors CKV_AWS_60, CKV_AWS_61.</summary>
public sealed class RoleTrustPrincipalRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-IAM-003";

    /// <inheritdoc />
    public override string Title => "Role trust policies name their principals";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_60, CKV_AWS_61";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var role in stack.Resources("aws_iam_role"))
        {
            if (stack.PolicyStatements(role.String("assume_role_policy")).Any(AllowsEveryone))
                yield return Finding(stack, role, "anyone may assume the role", "trust a named service, account or federated provider");
        }
    }
}
