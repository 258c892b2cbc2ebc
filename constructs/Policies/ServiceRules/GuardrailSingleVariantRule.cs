namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Canary, linear and rolling deployments only on endpoints whose every configuration has one production variant:
/// guardrails exclude multi-variant endpoints.
/// </summary>
public sealed class GuardrailSingleVariantRule() : ServiceRule(
    "MLOPSTF-AWS-013",
    "Traffic-shifting guardrails only on endpoints whose configurations have one variant",
    "https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-exclusions.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        Findings(stack, Guardrails.All(stack).Where(g => g.ShiftsTraffic), g => g.Endpoint, g => Check(stack, g));

    private static IEnumerable<Violation> Check(StackDocument stack, EndpointGuardrails g)
    {
        var multi = SageMakerHosting.SwapCandidates(stack, g.Endpoint).Where(c => SageMakerHosting.Variants(c).Count > 1).ToList();
        if (multi.Count > 0)
            yield return new($"deployment_config shifts traffic ({g.TrafficType ?? "rolling"}), but {string.Join(", ", multi.Select(c => $"{c.Path} has {SageMakerHosting.Variants(c).Count} production variants"))}",
                "deploy multi-variant endpoints without canary, linear or rolling guardrails (weights shift traffic there), or keep one variant per configuration");
    }
}
