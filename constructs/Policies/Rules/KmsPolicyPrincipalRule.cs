namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>KMS key policies name their principals (no wildcard). Mirrors CKV_AWS_33, CKV2_AWS_64.</summary>
public sealed class KmsPolicyPrincipalRule() : ResourceRule(
    "MLOPSTF-KMS-002",
    "KMS key policies name their principals (no wildcard)",
    "CKV_AWS_33, CKV2_AWS_64",
    "aws_kms_key")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource key)
    {
        if (stack.PolicyStatements(key.String("policy")).Any(AllowsEveryone))
            yield return new("the key policy allows every principal", "name the account root and the services that use the key");
    }
}
