namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Model monitoring jobs encrypt outputs, volumes and inter-container traffic. Mirrors CKV_AWS_367, CKV_AWS_368, CKV_AWS_369.</summary>
public sealed class MonitoringJobEncryptionRule() : ResourceRule(
    "MLOPSTF-SM-004",
    "Model monitoring jobs encrypt outputs, volumes and inter-container traffic",
    "CKV_AWS_367, CKV_AWS_368, CKV_AWS_369",
    "aws_sagemaker_data_quality_job_definition")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource job)
    {
        if (job.Body["data_quality_job_output_config"]?["kms_key_id"] is null)
            yield return new("monitoring outputs are not encrypted with KMS", "set data_quality_job_output_config.kms_key_id");
        if (job.Body["job_resources"]?["cluster_config"]?["volume_kms_key_id"] is null)
            yield return new("job volumes are not encrypted with KMS", "set cluster_config.volume_kms_key_id");
        if (job.Body["network_config"]?["enable_inter_container_traffic_encryption"]?.GetValue<bool>() != true)
            yield return new("inter-container traffic is not encrypted", "set network_config.enable_inter_container_traffic_encryption");
    }
}
