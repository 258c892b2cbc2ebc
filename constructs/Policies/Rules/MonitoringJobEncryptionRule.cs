namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>
/// Model monitoring jobs encrypt outputs, volumes and inter-container traffic: the provider's data quality job
/// definitions, and the job definitions of CloudFormation stacks (model quality, which the provider lacks). Mirrors
/// CKV_AWS_367, CKV_AWS_368, CKV_AWS_369.
/// </summary>
public sealed class MonitoringJobEncryptionRule() : ResourceRule(
    "MLOPSTF-SM-004",
    "Model monitoring jobs encrypt outputs, volumes and inter-container traffic",
    "CKV_AWS_367, CKV_AWS_368, CKV_AWS_369",
    "aws_sagemaker_data_quality_job_definition", "aws_cloudformation_stack")
{
    private static readonly string[] CloudFormationJobTypes =
        ["AWS::SageMaker::ModelQualityJobDefinition", "AWS::SageMaker::DataQualityJobDefinition", "AWS::SageMaker::ModelBiasJobDefinition",
            "AWS::SageMaker::ModelExplainabilityJobDefinition"];

    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource job) =>
        job.Type == "aws_cloudformation_stack" ? CheckTemplate(job) : CheckProvider(job.Body);

    private static IEnumerable<Violation> CheckProvider(JsonObject body)
    {
        if (body["data_quality_job_output_config"]?["kms_key_id"] is null)
            yield return new("monitoring outputs are not encrypted with KMS", "set data_quality_job_output_config.kms_key_id");
        if (body["job_resources"]?["cluster_config"]?["volume_kms_key_id"] is null)
            yield return new("job volumes are not encrypted with KMS", "set cluster_config.volume_kms_key_id");
        if (body["network_config"]?["enable_inter_container_traffic_encryption"]?.GetValue<bool>() != true)
            yield return new("inter-container traffic is not encrypted", "set network_config.enable_inter_container_traffic_encryption");
    }

    private static IEnumerable<Violation> CheckTemplate(StackResource stack)
    {
        var template = JsonExpression.Decode(stack.Body["template_body"]?.GetValue<string>()) as JsonObject;
        foreach (var (name, resource) in template?["Resources"]?.AsObject() ?? [])
        {
            var type = resource?["Type"]?.GetValue<string>();
            if (type is null || !CloudFormationJobTypes.Contains(type)) continue;
            var properties = resource!["Properties"]?.AsObject();
            var output = properties?.FirstOrDefault(p => p.Key.EndsWith("JobOutputConfig", StringComparison.Ordinal)).Value;
            if (output?["KmsKeyId"] is null)
                yield return new($"{name} ({type}): monitoring outputs are not encrypted with KMS", "set the job output config's KmsKeyId");
            if (properties?["JobResources"]?["ClusterConfig"]?["VolumeKmsKeyId"] is null)
                yield return new($"{name} ({type}): job volumes are not encrypted with KMS", "set JobResources.ClusterConfig.VolumeKmsKeyId");
            if (properties?["NetworkConfig"]?["EnableInterContainerTrafficEncryption"]?.GetValue<bool>() != true)
                yield return new($"{name} ({type}): inter-container traffic is not encrypted", "set NetworkConfig.EnableInterContainerTrafficEncryption");
        }
    }
}
