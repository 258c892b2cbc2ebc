namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Real-time endpoint configurations encrypt volumes with a customer key. Mirrors CKV_AWS_98, cdk-nag SageMakerEndpointConfigurationKMSKeyConfigured.</summary>
public sealed class EndpointConfigurationKmsRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-SM-002";

    /// <inheritdoc />
    public override string Title => "Real-time endpoint configurations encrypt volumes with a customer key";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_98, cdk-nag SageMakerEndpointConfigurationKMSKeyConfigured";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var config in stack.Resources("aws_sagemaker_endpoint_configuration"))
        {
            var instanceBased = config.Body["production_variants"]?.AsArray().Any(v => v?["instance_type"] is not null) == true;
            if (instanceBased && string.IsNullOrEmpty(config.String("kms_key_arn")))
                yield return Finding(stack, config, "the configuration does not set kms_key_arn", "pass the volume key (ModelEndpoint does)");
        }
    }
}
