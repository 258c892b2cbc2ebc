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
        where variant.InstanceType is not null
        let problem = InstanceTypeUse.Problem(variant.InstanceType!, InstanceUse.Hosting)
        where problem is not null
        select Finding(stack, configuration, $"{variant.Label} instance_type = {variant.InstanceType}: {problem}", InstanceTypeUse.Fix(InstanceUse.Hosting));
}
