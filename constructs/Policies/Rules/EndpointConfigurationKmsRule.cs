namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>
/// Endpoint configurations, real-time and serverless, use a customer key (SageMaker encrypts the volumes, or for
/// serverless its copy of the image, with it); only configurations on instance types with NVMe instance storage go
/// without, since that storage is hardware-encrypted and CreateEndpointConfig refuses a key for them.
/// Mirrors CKV_AWS_98, cdk-nag SageMakerEndpointConfigurationKMSKeyConfigured.
/// </summary>
public sealed class EndpointConfigurationKmsRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-SM-002";

    /// <inheritdoc />
    public override string Title => "Endpoint configurations encrypt with a customer key (instance-storage types excepted)";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_98, cdk-nag SageMakerEndpointConfigurationKMSKeyConfigured";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var config in stack.Resources("aws_sagemaker_endpoint_configuration"))
        {
            var instanceStorage = config.Body["production_variants"]?.AsArray()
                .Any(v => v?["instance_type"]?.GetValue<string>() is { } type && InstanceTypes.HasInstanceStorage(type)) == true;
            if (!instanceStorage && string.IsNullOrEmpty(config.String("kms_key_arn")))
                yield return Finding(stack, config, "the configuration does not set kms_key_arn", "pass the models key (ModelEndpoint does, for real-time and serverless configurations)");
        }
    }
}
