namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Role trust policies name their principals. Mirrors CKV_AWS_60, CKV_AWS_61.</summary>
public sealed class RoleTrustPrincipalRule() : ResourceRule(
    "MLOPSTF-IAM-003",
    "Role trust policies name their principals",
    "CKV_AWS_60, CKV_AWS_61",
    "aws_iam_role")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource role)
    {
        if (stack.PolicyStatements(role.String("assume_role_policy")).Any(AllowsEveryone))
            yield return new("anyone may assume the role", "trust a named service, account or federated provider");
    }
}
