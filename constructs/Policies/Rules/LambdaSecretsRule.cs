namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>No secrets in Lambda environment variables. Mirrors CKV_AWS_45.</summary>
public sealed class LambdaSecretsRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-LAMBDA-004";

    /// <inheritdoc />
    public override string Title => "No secrets in Lambda environment variables";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_45";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        var secretLike = Lambda.PythonFunction.SecretLikeNames;
        foreach (var fn in stack.Resources("aws_lambda_function"))
        {
            foreach (var (name, _) in fn.Body["environment"]?["variables"]?.AsObject() ?? [])
            {
                if (secretLike.Any(s => name.Contains(s, StringComparison.OrdinalIgnoreCase)))
                    yield return Finding(stack, fn, $"environment variable {name} looks like a secret", "keep secrets in Secrets Manager and pass the secret ARN");
            }
        }
    }
}
