namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>No role is given AdministratorAccess, IAMFullAccess or AmazonSageMakerFullAccess. Mirrors CKV_AWS_274, CKV2_AWS_56.</summary>
public sealed class ManagedAdminPolicyRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-IAM-001";

    /// <inheritdoc />
    public override string Title => "No role is given AdministratorAccess, IAMFullAccess or AmazonSageMakerFullAccess";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_274, CKV2_AWS_56";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var attachment in stack.Resources("aws_iam_role_policy_attachment"))
        {
            var arn = attachment.String("policy_arn") ?? "";
            if (new[] { ":policy/AdministratorAccess", ":policy/IAMFullAccess", ":policy/AmazonSageMakerFullAccess" }.Any(p => arn.EndsWith(p, StringComparison.Ordinal)))
                yield return Finding(stack, attachment, $"attaches {arn}", "grant the specific permissions the role needs");
        }
    }
}
