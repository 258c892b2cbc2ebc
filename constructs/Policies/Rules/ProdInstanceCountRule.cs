namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Production real-time variants run more than one instance. Mirrors AWS Config sagemaker-endpoint-config-prod-instance-count.</summary>
public sealed class ProdInstanceCountRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-SM-006";

    /// <inheritdoc />
    public override string Title => "Production real-time variants run more than one instance";

    /// <inheritdoc />
    public override string Mirrors => "AWS Config sagemaker-endpoint-config-prod-instance-count";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        if (stack.Name != "prod") yield break;
        foreach (var config in stack.Resources("aws_sagemaker_endpoint_configuration"))
        {
            foreach (var variant in config.Body["production_variants"]?.AsArray() ?? [])
            {
                if (variant?["instance_type"] is not null && (Number(variant["initial_instance_count"]) ?? 0) < 2)
                    yield return Finding(stack, config, $"variant {variant["variant_name"]} runs fewer than two instances", "run at least two instances in prod (one AZ may fail)");
            }
        }
    }
}
