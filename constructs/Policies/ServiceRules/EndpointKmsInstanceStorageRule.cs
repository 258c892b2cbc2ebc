namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// An endpoint configuration with <c>kms_key_arn</c> has no variant on an instance type with instance storage:
/// CreateEndpointConfig fails, because instance storage is encrypted by the hardware.
/// </summary>
public sealed class EndpointKmsInstanceStorageRule() : ServiceRule(
    "MLOPSTF-AWS-022",
    "Endpoint configurations with a KMS key use no instance type with instance storage",
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-KmsKeyId")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        from configuration in stack.Resources("aws_sagemaker_endpoint_configuration")
        where !string.IsNullOrEmpty(configuration.String("kms_key_arn"))
        from variant in SageMakerHosting.Variants(configuration)
        where variant.InstanceType is { } type && InstanceTypes.HasInstanceStorage(type)
        select Finding(stack, configuration,
            $"kms_key_arn is set, but {variant.Label} instance_type = {variant.InstanceType} has instance storage, and CreateEndpointConfig refuses a key for it",
            "leave kms_key_arn unset for configurations on instance-storage types (the storage is hardware-encrypted), or use an EBS-only type");
}
