namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>Endpoint variants use instance types SageMaker offers for real-time hosting (not, e.g., <c>ml.t3.*</c>).</summary>
public sealed class HostingInstanceTypeRule() : ServiceRule(
    "MLOPSTF-AWS-019",
    "Endpoint variants use instance types valid for hosting",
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariant.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        from configuration in stack.Resources("aws_sagemaker_endpoint_configuration")
        from variant in SageMakerHosting.Variants(configuration)
        let violation = InstanceTypeUse.Check($"{variant.Label} instance_type", variant.InstanceType, InstanceUse.Hosting)
        where violation is not null
        select Finding(stack, configuration, violation.Value);
}
