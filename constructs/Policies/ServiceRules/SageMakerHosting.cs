namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>One production variant of an endpoint configuration.</summary>
/// <param name="Configuration">The <c>aws_sagemaker_endpoint_configuration</c>.</param>
/// <param name="Index">Its position in <c>production_variants</c>.</param>
/// <param name="Body">The variant block.</param>
public sealed record HostedVariant(StackResource Configuration, int Index, JsonObject Body)
{
    /// <summary>Variant name (null when unknown before apply).</summary>
    public string? Name => TerraformValues.Literal(Body["variant_name"]);

    /// <summary>Instance type; null for serverless variants or when unknown.</summary>
    public string? InstanceType => TerraformValues.Literal(Body["instance_type"]);

    /// <summary>The serverless settings, or null for instance-based variants.</summary>
    public JsonObject? Serverless => TerraformValues.Block(Body["serverless_config"]);

    /// <summary>Whether the variant is serverless.</summary>
    public bool IsServerless => Serverless is not null;

    /// <summary>Whether the variant has provisioned concurrency.</summary>
    public bool HasProvisionedConcurrency => TerraformValues.Number(Serverless?["provisioned_concurrency"]) is > 0;

    /// <summary>How the variant is named in a finding.</summary>
    public string Label => $"production_variants[{Index}] ({Name ?? "unnamed"})";
}

/// <summary>SageMaker hosting resources of a synthesized stack and how they reference each other.</summary>
public static class SageMakerHosting
{
    /// <summary>The production variants of an endpoint configuration.</summary>
    public static IReadOnlyList<HostedVariant> Variants(StackResource configuration) =>
        [.. TerraformValues.Blocks(configuration.Body["production_variants"]).Select((v, i) => new HostedVariant(configuration, i, v))];

    /// <summary>Whether a configuration has a serverless variant.</summary>
    public static bool IsServerless(StackResource configuration) => Variants(configuration).Any(v => v.IsServerless);

    /// <summary>The configuration an endpoint serves (by reference or name), or null.</summary>
    public static StackResource? ActiveConfiguration(StackDocument stack, StackResource endpoint) =>
        stack.Named("aws_sagemaker_endpoint_configuration", "name", endpoint.String("endpoint_config_name"));

    /// <summary>
    /// The configurations an endpoint can be swapped to: the one it serves and every configuration its construct
    /// defines beside it (retained releases).
    /// </summary>
    public static IReadOnlyList<StackResource> SwapCandidates(StackDocument stack, StackResource endpoint)
    {
        var active = ActiveConfiguration(stack, endpoint);
        var parent = TerraformValues.Parent(endpoint);
        var siblings = stack.Resources("aws_sagemaker_endpoint_configuration").Where(c => TerraformValues.Parent(c) == parent);
        return [.. (active is null ? siblings : siblings.Prepend(active)).DistinctBy(c => c.Address)];
    }

    /// <summary>The endpoint a value names (reference or literal endpoint name), or null.</summary>
    public static StackResource? Endpoint(StackDocument stack, string? value) =>
        stack.Named("aws_sagemaker_endpoint", "name", value);

    /// <summary>Whether the endpoint serves, or can be swapped to, a serverless configuration.</summary>
    public static bool IsServerlessEndpoint(StackDocument stack, StackResource endpoint) =>
        SwapCandidates(stack, endpoint).Any(IsServerless);

    /// <summary>The variant called <paramref name="variantName"/> in the configuration the endpoint serves, or null.</summary>
    public static HostedVariant? ActiveVariant(StackDocument stack, StackResource endpoint, string variantName) =>
        ActiveConfiguration(stack, endpoint) is { } configuration ? Variants(configuration).FirstOrDefault(v => v.Name == variantName) : null;

    /// <summary>The model a value names (reference or literal model name), or null.</summary>
    public static StackResource? Model(StackDocument stack, string? value) =>
        stack.Named("aws_sagemaker_model", "name", value);

    /// <summary>Every serverless variant of the stack with the model it serves (when the stack defines it).</summary>
    public static IEnumerable<(HostedVariant Variant, StackResource Model)> ServerlessModels(StackDocument stack) =>
        from configuration in stack.Resources("aws_sagemaker_endpoint_configuration")
        from variant in Variants(configuration)
        where variant.IsServerless
        let model = Model(stack, TerraformValues.Text(variant.Body["model_name"]))
        where model is not null
        select (variant, model);

    /// <summary>The container images of a model (primary container and inference-pipeline containers).</summary>
    public static IEnumerable<string> Images(StackResource model) =>
        TerraformValues.Blocks(model.Body["primary_container"]).Concat(TerraformValues.Blocks(model.Body["container"]))
            .Select(c => TerraformValues.Text(c["image"])).OfType<string>();

    /// <summary>The endpoint and variant of an Application Auto Scaling resource id <c>endpoint/&lt;name&gt;/variant/&lt;variant&gt;</c>.</summary>
    public static (string Endpoint, string Variant)? VariantResourceId(string? resourceId)
    {
        if (resourceId is null || !resourceId.StartsWith("endpoint/", StringComparison.Ordinal)) return null;
        var marker = resourceId.LastIndexOf("/variant/", StringComparison.Ordinal);
        if (marker <= "endpoint/".Length) return null;
        var endpoint = resourceId["endpoint/".Length..marker];
        var variant = resourceId[(marker + "/variant/".Length)..];
        return endpoint.Length > 0 && variant.Length > 0 && !variant.Contains('/', StringComparison.Ordinal) ? (endpoint, variant) : null;
    }
}
