namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Model monitoring jobs encrypt outputs, volumes and inter-container traffic. Mirrors CKV_AWS_367, CKV_AWS_368, CKV_AWS_369.</summary>
public sealed class MonitoringJobEncryptionRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-SM-004";

    /// <inheritdoc />
    public override string Title => "Model monitoring jobs encrypt outputs, volumes and inter-container traffic";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_367, CKV_AWS_368, CKV_AWS_369";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var job in stack.Resources("aws_sagemaker_data_quality_job_definition"))
        {
            if (job.Body["data_quality_job_output_config"]?["kms_key_id"] is null)
                yield return Finding(stack, job, "monitoring outputs are not encrypted with KMS", "set data_quality_job_output_config.kms_key_id");
            if (job.Body["job_resources"]?["cluster_config"]?["volume_kms_key_id"] is null)
                yield return Finding(stack, job, "job volumes are not encrypted with KMS", "set cluster_config.volume_kms_key_id");
            if (job.Body["network_config"]?["enable_inter_container_traffic_encryption"]?.GetValue<bool>() != true)
                yield return Finding(stack, job, "inter-container traffic is not encrypted", "set network_config.enable_inter_container_traffic_encryption");
        }
    }
}
