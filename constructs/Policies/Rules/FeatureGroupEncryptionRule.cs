namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Feature groups encrypt the offline store and, where present, the online store with KMS. Mirrors MLOPSTF custom (feature store encryption).</summary>
public sealed class FeatureGroupEncryptionRule() : ResourceRule(
    "MLOPSTF-SM-005",
    "Feature groups encrypt the offline store and, where present, the online store with KMS",
    "MLOPSTF custom (feature store encryption)",
    "aws_sagemaker_feature_group")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource group)
    {
        if (group.Body["offline_store_config"]?["s3_storage_config"]?["kms_key_id"] is null)
            yield return new("the offline store is not encrypted with KMS", "set offline_store_config.s3_storage_config.kms_key_id");
        if (group.Body["online_store_config"]?["enable_online_store"]?.GetValue<bool>() == true
            && group.Body["online_store_config"]?["security_config"]?["kms_key_id"] is null)
            yield return new("the online store is not encrypted with KMS", "set online_store_config.security_config.kms_key_id");
    }
}
