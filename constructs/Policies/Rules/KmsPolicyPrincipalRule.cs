namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>KMS key policies name their principals (no wildcard). Mirrors CKV_AWS_33, CKV2_AWS_64.</summary>
public sealed class KmsPolicyPrincipalRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-KMS-002";

    /// <inheritdoc />
    public override string Title => "KMS key policies name their principals (no wildcard)";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_33, CKV2_AWS_64";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var key in stack.Resources("aws_kms_key"))
        {
            if (stack.PolicyStatements(key.String("policy")).Any(AllowsEveryone))
                yield return Finding(stack, key, "the key policy allows every principal", "name the account root and the services that use the key");
        }
    }
}
