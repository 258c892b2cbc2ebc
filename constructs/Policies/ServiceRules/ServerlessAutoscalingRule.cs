namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Application Auto Scaling on a serverless variant scales only its provisioned concurrency: there is no instance
/// count to scale, and <c>DesiredProvisionedConcurrency</c> needs a variant with provisioned concurrency.
/// </summary>
public sealed class ServerlessAutoscalingRule() : ServiceRule(
    "MLOPSTF-AWS-010",
    "Serverless variants are scaled only on provisioned concurrency, and only when they have it",
    "https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-autoscale.html")
{
    /// <summary>The instance-count dimension of a variant.</summary>
    public const string InstanceCount = "sagemaker:variant:DesiredInstanceCount";

    /// <summary>The provisioned-concurrency dimension of a serverless variant.</summary>
    public const string ProvisionedConcurrency = "sagemaker:variant:DesiredProvisionedConcurrency";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        Findings(stack, stack.Resources("aws_appautoscaling_target"), target => target, target => Check(stack, target));

    private static IEnumerable<Violation> Check(StackDocument stack, StackResource target)
    {
        var dimension = stack.Dereference(target.String("scalable_dimension"));
        if (SageMakerHosting.VariantResourceId(stack.Dereference(target.String("resource_id"))) is not (var endpointName, var variantName)) yield break;
        if (SageMakerHosting.Endpoint(stack, endpointName) is not { } endpoint || SageMakerHosting.ActiveVariant(stack, endpoint, variantName) is not { } variant) yield break;
        if (variant.IsServerless && dimension == InstanceCount)
            yield return new($"scalable_dimension = {InstanceCount} on serverless variant {variantName} of {endpoint.Path}, which has no instances to scale",
                $"remove the scaling target (SageMaker scales on-demand serverless capacity itself), or give the variant provisioned concurrency and scale {ProvisionedConcurrency}");
        else if (dimension == ProvisionedConcurrency && !variant.HasProvisionedConcurrency)
            yield return new($"scalable_dimension = {ProvisionedConcurrency} on variant {variantName} of {endpoint.Path}, which has no provisioned concurrency",
                "set serverless_config.provisioned_concurrency on the variant, or remove the scaling target");
    }
}
