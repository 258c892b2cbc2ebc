namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>ECR repository policies are not public. Mirrors CKV_AWS_32, AwsSolutions-ECR1.</summary>
public sealed class EcrPublicPolicyRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-ECR-002";

    /// <inheritdoc />
    public override string Title => "ECR repository policies are not public";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_32, AwsSolutions-ECR1";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var policy in stack.Resources("aws_ecr_repository_policy"))
        {
            if (stack.PolicyStatements(policy.String("policy")).Any(AllowsEveryone))
                yield return Finding(stack, policy, "the repository policy allows every principal", "name the accounts or roles that pull");
        }
    }
}
