namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Feature groups encrypt the offline store and, where present, the online store with KMS. Mirrors MLOPSTF custom (feature store encryption).</summary>
public sealed class FeatureGroupEncryptionRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-SM-005";

    /// <inheritdoc />
    public override string Title => "Feature groups encrypt the offline store and, where present, the online store with KMS";

    /// <inheritdoc />
    public override string Mirrors => "MLOPSTF custom (feature store encryption)";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var group in stack.Resources("aws_sagemaker_feature_group"))
        {
            if (group.Body["offline_store_config"]?["s3_storage_config"]?["kms_key_id"] is null)
                yield return Finding(stack, group, "the offline store is not encrypted with KMS", "set offline_store_config.s3_storage_config.kms_key_id");
            if (group.Body["online_store_config"]?["enable_online_store"]?.GetValue<bool>() == true
                && group.Body["online_store_config"]?["security_config"]?["kms_key_id"] is null)
                yield return Finding(stack, group, "the online store is not encrypted with KMS", "set online_store_config.security_config.kms_key_id");
        }
    }
}
