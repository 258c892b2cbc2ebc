namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>ECR repository policies are not public. Mirrors CKV_AWS_32, AwsSolutions-ECR1.</summary>
public sealed class EcrPublicPolicyRule() : ResourceRule(
    "MLOPSTF-ECR-002",
    "ECR repository policies are not public",
    "CKV_AWS_32, AwsSolutions-ECR1",
    "aws_ecr_repository_policy")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource policy)
    {
        if (stack.PolicyStatements(policy.String("policy")).Any(AllowsEveryone))
            yield return new("the repository policy allows every principal", "name the accounts or roles that pull");
    }
}
