namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// A configuration with a serverless variant has exactly one production variant, and no configuration mixes
/// serverless and instance-based variants: Serverless Inference does not support multiple production variants.
/// </summary>
public sealed class ServerlessVariantsRule() : ServiceRule(
    "MLOPSTF-AWS-007",
    "Serverless configurations have exactly one production variant and do not mix variant kinds",
    "https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html#serverless-endpoints-how-it-works-exclusions")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        Findings(stack, stack.Resources("aws_sagemaker_endpoint_configuration"), configuration => configuration, Check);

    private static IEnumerable<Violation> Check(StackResource configuration)
    {
        var variants = SageMakerHosting.Variants(configuration);
        var serverless = variants.Where(v => v.IsServerless).ToList();
        if (serverless.Count == 0) yield break;
        var instanceBased = variants.Where(v => !v.IsServerless).ToList();
        if (instanceBased.Count > 0)
            yield return new($"production_variants mixes serverless ({string.Join(", ", serverless.Select(v => v.Label))}) and instance-based ({string.Join(", ", instanceBased.Select(v => v.Label))}) variants",
                "put serverless and instance-based variants in separate endpoint configurations (and endpoints)");
        else if (serverless.Count > 1)
            yield return new($"production_variants has {serverless.Count} serverless variants ({string.Join(", ", serverless.Select(v => v.Label))}); Serverless Inference supports one production variant",
                "keep one production variant per serverless configuration; split traffic with separate endpoints or use instance-based variants");
    }
}
