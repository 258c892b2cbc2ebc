namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Canary and linear steps within the API's bounds: a canary is at most 50 % of the fleet, a linear step 10 to 50 %,
/// an instance-count size at least 1, and each traffic type has the size it needs.
/// </summary>
public sealed class GuardrailStepSizeRule() : ServiceRule(
    "MLOPSTF-AWS-011",
    "Canary size is 1-50 % (or at least one instance), linear steps 10-50 %",
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TrafficRoutingConfig.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var g in Guardrails.All(stack))
        {
            if (g.TrafficRouting is not { } routing) continue;
            var (field, low) = g.TrafficType switch { "CANARY" => ("canary_size", 1d), "LINEAR" => ("linear_step_size", 10d), _ => (null, 0d) };
            if (field is null) continue;
            var where = $"deployment_config.blue_green_update_policy.traffic_routing_configuration.{field}";
            if (TerraformValues.Block(routing[field]) is not JsonObject size)
            {
                yield return Finding(stack, g.Endpoint, $"traffic type {g.TrafficType} without {field}", $"set {field} (type CAPACITY_PERCENT or INSTANCE_COUNT and a value)");
                continue;
            }
            var type = TerraformValues.Literal(size["type"]);
            if (TerraformValues.Number(size["value"]) is not { } value) continue;
            if (type == "CAPACITY_PERCENT" && (value < low || value > 50))
                yield return Finding(stack, g.Endpoint, $"{where} = {TerraformValues.Show(value)} % is outside {TerraformValues.Show(low)} to 50 % of the fleet",
                    $"use a {field} from {TerraformValues.Show(low)} to 50 percent");
            else if (type == "INSTANCE_COUNT" && value < 1)
                yield return Finding(stack, g.Endpoint, $"{where} = {TerraformValues.Show(value)} instances is below 1", $"use at least one instance, and at most half the variant's instances");
            else if (type is not ("CAPACITY_PERCENT" or "INSTANCE_COUNT"))
                yield return Finding(stack, g.Endpoint, $"{where}.type = {type ?? "unset"} is not CAPACITY_PERCENT or INSTANCE_COUNT", "use CAPACITY_PERCENT or INSTANCE_COUNT");
        }
    }
}
