namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>
/// SSM parameters that hold secrets are SecureStrings encrypted with a customer managed key; a plain String never has
/// a secret's name. Mirrors CKV2_AWS_34 for what is sensitive (identifiers stay plain Strings, which CloudFormation's
/// <c>{{resolve:ssm:…}}</c> can read).
/// </summary>
public sealed class SsmParameterRule() : ResourceRule(
    "MLOPSTF-SSM-001",
    "Secret parameters are SecureStrings with a customer managed key",
    "CKV2_AWS_34",
    "aws_ssm_parameter")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource parameter)
    {
        var type = parameter.String("type");
        var name = parameter.String("name") ?? "";
        if (type == "SecureString")
        {
            var key = parameter.String("key_id");
            if (string.IsNullOrEmpty(key) || key.Contains("alias/aws/ssm", StringComparison.Ordinal))
                yield return new($"SecureString {name} uses the AWS managed key aws/ssm", "set key_id to a customer managed key (PlatformParametersProps.Key)");
        }
        else if (Lambda.PythonFunction.SecretLikeNames.Any(s => name.Split('/').Last().Contains(s, StringComparison.OrdinalIgnoreCase)))
        {
            yield return new($"{type} parameter {name} looks like a secret but is stored in plain text", "add it as ParameterKind.Secure (a SecureString with the platform key)");
        }
    }
}
