namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Lambda permissions name a source ARN and account. Mirrors CKV_AWS_301, CKV_AWS_364.</summary>
public sealed class LambdaPermissionRule() : ResourceRule(
    "MLOPSTF-LAMBDA-003",
    "Lambda permissions name a source ARN and account",
    "CKV_AWS_301, CKV_AWS_364",
    "aws_lambda_permission")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource permission)
    {
        if (permission.String("principal") == "*")
            yield return new("the function may be invoked by anyone", "name the invoking service");
        if (string.IsNullOrEmpty(permission.String("source_arn")) || string.IsNullOrEmpty(permission.String("source_account")))
            yield return new("the permission does not pin source_arn and source_account", "set both");
    }
}
