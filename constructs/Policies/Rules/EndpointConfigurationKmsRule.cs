namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>
/// Endpoint configurations, real-time and serverless, use a customer key (SageMaker encrypts the volumes, or for
/// serverless its copy of the image, with it); only configurations on instance types with NVMe instance storage go
/// without, since that storage is hardware-encrypted and CreateEndpointConfig refuses a key for them.
/// Mirrors CKV_AWS_98, cdk-nag SageMakerEndpointConfigurationKMSKeyConfigured.
/// </summary>
public sealed class EndpointConfigurationKmsRule() : ResourceRule(
    "MLOPSTF-SM-002",
    "Endpoint configurations encrypt with a customer key (instance-storage types excepted)",
    "CKV_AWS_98, cdk-nag SageMakerEndpointConfigurationKMSKeyConfigured",
    "aws_sagemaker_endpoint_configuration")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource config)
    {
        var instanceStorage = config.Body["production_variants"]?.AsArray()
            .Any(v => v?["instance_type"]?.GetValue<string>() is { } type && InstanceTypes.HasInstanceStorage(type)) == true;
        if (!instanceStorage && string.IsNullOrEmpty(config.String("kms_key_arn")))
            yield return new("the configuration does not set kms_key_arn", "pass the models key (ModelEndpoint does, for real-time and serverless configurations)");
    }
}
