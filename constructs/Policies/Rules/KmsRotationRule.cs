namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>KMS keys rotate and carry an explicit key policy. Mirrors CKV_AWS_7, AVD-AWS-0065, AwsSolutions-KMS5, CKV2_AWS_64.</summary>
public sealed class KmsRotationRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-KMS-001";

    /// <inheritdoc />
    public override string Title => "KMS keys rotate and have an explicit key policy";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_7, AVD-AWS-0065, AwsSolutions-KMS5, CKV2_AWS_64";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var key in stack.Resources("aws_kms_key"))
        {
            if (!key.True("enable_key_rotation"))
                yield return Finding(stack, key, "key rotation is off", "set enable_key_rotation (CustomerManagedKey does)");
            if (string.IsNullOrEmpty(key.String("policy")))
                yield return Finding(stack, key, "the key has no explicit key policy", "set policy (CustomerManagedKey builds one naming the account root)");
        }
    }
}
