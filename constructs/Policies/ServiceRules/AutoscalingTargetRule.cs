namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// A SageMaker variant's scaling target: minimum at least 1 (0 only for an asynchronous endpoint, which scales to
/// zero: https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html) and at most the maximum, and a resource id
/// <c>endpoint/&lt;endpoint&gt;/variant/&lt;variant&gt;</c> that names an endpoint of the stack and a variant of the
/// configuration it serves (otherwise registration fails, or scales nothing).
/// </summary>
public sealed class AutoscalingTargetRule() : ServiceRule(
    "MLOPSTF-AWS-016",
    "SageMaker scaling targets: 1 <= min <= max, resource id names an endpoint and variant of the stack",
    "https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-prerequisites.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var target in stack.Resources("aws_appautoscaling_target"))
        {
            var dimension = stack.Dereference(target.String("scalable_dimension"));
            if (stack.Dereference(target.String("service_namespace")) != "sagemaker" || dimension?.StartsWith("sagemaker:variant:", StringComparison.Ordinal) != true) continue;
            var min = TerraformValues.Number(target.Body["min_capacity"]);
            var max = TerraformValues.Number(target.Body["max_capacity"]);
            var resourceId = stack.Dereference(target.String("resource_id"));
            var scalesToZero = SageMakerHosting.VariantResourceId(resourceId) is (var named, _) && SageMakerHosting.Endpoint(stack, named) is { } scaled
                && SageMakerHosting.ActiveConfiguration(stack, scaled) is { } served && served.Body["async_inference_config"] is not null;
            if (min is < 0 || (min is < 1 && !scalesToZero))
                yield return Finding(stack, target, $"min_capacity = {TerraformValues.Show(min!.Value)} is below 1; only asynchronous endpoints' variants scale to zero",
                    "use min_capacity of at least 1, or serve the endpoint asynchronously (scale-to-zero of real-time endpoints needs inference components)");
            if (min is { } low && max is { } high && low > high)
                yield return Finding(stack, target, $"min_capacity = {TerraformValues.Show(low)} exceeds max_capacity = {TerraformValues.Show(high)}", "keep min_capacity at most max_capacity");
            if (SageMakerHosting.VariantResourceId(resourceId) is not (var endpointName, var variantName))
            {
                yield return Finding(stack, target, $"resource_id = {resourceId ?? "unset"} is not endpoint/<endpoint name>/variant/<variant name>",
                    "use resource_id endpoint/${aws_sagemaker_endpoint.<name>.name}/variant/<variant name>");
                continue;
            }
            if (SageMakerHosting.Endpoint(stack, endpointName) is not { } endpoint)
            {
                yield return Finding(stack, target, $"resource_id = {resourceId} names endpoint {endpointName}, which is not an endpoint of this stack",
                    "reference the endpoint's name (${aws_sagemaker_endpoint.<name>.name}) so the target scales the endpoint the stack deploys");
                continue;
            }
            if (SageMakerHosting.ActiveConfiguration(stack, endpoint) is { } configuration && SageMakerHosting.ActiveVariant(stack, endpoint, variantName) is null)
                yield return Finding(stack, target,
                    $"resource_id = {resourceId} names variant {variantName}, but {configuration.Path} has variants {string.Join(", ", SageMakerHosting.Variants(configuration).Select(v => v.Name))}",
                    "name a variant of the configuration the endpoint serves");
        }
    }
}
