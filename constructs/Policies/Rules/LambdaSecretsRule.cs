namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>No secrets in Lambda environment variables. Mirrors CKV_AWS_45.</summary>
public sealed class LambdaSecretsRule() : ResourceRule(
    "MLOPSTF-LAMBDA-004",
    "No secrets in Lambda environment variables",
    "CKV_AWS_45",
    "aws_lambda_function")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource fn)
    {
        var secretLike = Lambda.PythonFunction.SecretLikeNames;
        foreach (var (name, _) in fn.Body["environment"]?["variables"]?.AsObject() ?? [])
        {
            if (secretLike.Any(s => name.Contains(s, StringComparison.OrdinalIgnoreCase)))
                yield return new($"environment variable {name} looks like a secret", "keep secrets in Secrets Manager and pass the secret ARN");
        }
    }
}
