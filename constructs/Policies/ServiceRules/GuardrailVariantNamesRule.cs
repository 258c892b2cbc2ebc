namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Every configuration a guarded endpoint can be swapped to uses the variant names of the one it serves: a guardrail
/// deployment needs the new configuration to keep the old variant names.
/// </summary>
public sealed class GuardrailVariantNamesRule() : ServiceRule(
    "MLOPSTF-AWS-014",
    "Configurations a guarded endpoint can be swapped to keep the same variant names",
    "https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-exclusions.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        Findings(stack, Guardrails.All(stack), g => g.Endpoint, g => Check(stack, g));

    private static IEnumerable<Violation> Check(StackDocument stack, EndpointGuardrails g)
    {
        if (SageMakerHosting.ActiveConfiguration(stack, g.Endpoint) is not { } active) yield break;
        var names = Names(active);
        foreach (var other in SageMakerHosting.SwapCandidates(stack, g.Endpoint).Where(c => c.Address != active.Address))
        {
            var otherNames = Names(other);
            if (!otherNames.SetEquals(names))
                yield return new($"{other.Path} has variants [{string.Join(", ", otherNames.Order(StringComparer.Ordinal))}] but the served {active.Path} has [{string.Join(", ", names.Order(StringComparer.Ordinal))}]; a guarded update to it fails",
                    "give every retained configuration of the endpoint the same variant names");
        }
    }

    private static HashSet<string> Names(StackResource configuration) =>
        SageMakerHosting.Variants(configuration).Select(v => v.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
}
