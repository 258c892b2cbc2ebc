namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Lambda permissions name a source ARN and account. Mirrors CKV_AWS_301, CKV_AWS_364.</summary>
public sealed class LambdaPermissionRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-LAMBDA-003";

    /// <inheritdoc />
    public override string Title => "Lambda permissions name a source ARN and account";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_301, CKV_AWS_364";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var permission in stack.Resources("aws_lambda_permission"))
        {
            if (permission.String("principal") == "*")
                yield return Finding(stack, permission, "the function may be invoked by anyone", "name the invoking service");
            if (string.IsNullOrEmpty(permission.String("source_arn")) || string.IsNullOrEmpty(permission.String("source_account")))
                yield return Finding(stack, permission, "the permission does not pin source_arn and source_account", "set both");
        }
    }
}
