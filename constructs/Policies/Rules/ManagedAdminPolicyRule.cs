namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>No role is given AdministratorAccess, IAMFullAccess or AmazonSageMakerFullAccess. Mirrors CKV_AWS_274, CKV2_AWS_56.</summary>
public sealed class ManagedAdminPolicyRule() : ResourceRule(
    "MLOPSTF-IAM-001",
    "No role is given AdministratorAccess, IAMFullAccess or AmazonSageMakerFullAccess",
    "CKV_AWS_274, CKV2_AWS_56",
    "aws_iam_role_policy_attachment")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource attachment)
    {
        var arn = attachment.String("policy_arn") ?? "";
        if (new[] { ":policy/AdministratorAccess", ":policy/IAMFullAccess", ":policy/AmazonSageMakerFullAccess" }.Any(p => arn.EndsWith(p, StringComparison.Ordinal)))
            yield return new($"attaches {arn}", "grant the specific permissions the role needs");
    }
}
