namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>KMS keys rotate and carry an explicit key policy. Mirrors CKV_AWS_7, AVD-AWS-0065, AwsSolutions-KMS5, CKV2_AWS_64.</summary>
public sealed class KmsRotationRule() : ResourceRule(
    "MLOPSTF-KMS-001",
    "KMS keys rotate and have an explicit key policy",
    "CKV_AWS_7, AVD-AWS-0065, AwsSolutions-KMS5, CKV2_AWS_64",
    "aws_kms_key")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource key)
    {
        if (!key.True("enable_key_rotation"))
            yield return new("key rotation is off", "set enable_key_rotation (CustomerManagedKey does)");
        if (string.IsNullOrEmpty(key.String("policy")))
            yield return new("the key has no explicit key policy", "set policy (CustomerManagedKey builds one naming the account root)");
    }
}
