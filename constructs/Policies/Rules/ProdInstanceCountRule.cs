namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Production real-time variants run more than one instance. Mirrors AWS Config sagemaker-endpoint-config-prod-instance-count.</summary>
public sealed class ProdInstanceCountRule() : ResourceRule(
    "MLOPSTF-SM-006",
    "Production real-time variants run more than one instance",
    "AWS Config sagemaker-endpoint-config-prod-instance-count",
    "aws_sagemaker_endpoint_configuration")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) => stack.Name == "prod" ? base.Evaluate(stack) : [];

    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource config)
    {
        foreach (var variant in config.Body["production_variants"]?.AsArray() ?? [])
        {
            if (variant?["instance_type"] is not null && (Number(variant["initial_instance_count"]) ?? 0) < 2)
                yield return new($"variant {variant["variant_name"]} runs fewer than two instances", "run at least two instances in prod (one AZ may fail)");
        }
    }
}
