namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Guardrail timings within the API's bounds: baking and termination waits 0 to 3600 s, a maximum execution timeout
/// of 600 to 28800 s that exceeds the wait interval plus the termination wait.
/// </summary>
public sealed class GuardrailTimingRule() : ServiceRule(
    "MLOPSTF-AWS-012",
    "Guardrail waits are 0-3600 s and the execution timeout 600-28800 s, above wait plus termination wait",
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_BlueGreenUpdatePolicy.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var g in Guardrails.All(stack))
        {
            foreach (var (policy, name, wait) in new[]
            {
                (g.BlueGreen, "blue_green_update_policy", TerraformValues.Number(g.TrafficRouting?["wait_interval_in_seconds"])),
                (g.Rolling, "rolling_update_policy", TerraformValues.Number(g.Rolling?["wait_interval_in_seconds"])),
            })
            {
                if (policy is null) continue;
                var waitField = name == "blue_green_update_policy" ? $"{name}.traffic_routing_configuration.wait_interval_in_seconds" : $"{name}.wait_interval_in_seconds";
                if (wait is { } w && w is < 0 or > 3600)
                    yield return Finding(stack, g.Endpoint, $"deployment_config.{waitField} = {TerraformValues.Show(w)} is outside 0 to 3600", "bake each step for 0 to 3600 seconds");
                var termination = TerraformValues.Number(policy["termination_wait_in_seconds"]);
                if (termination is { } t && t is < 0 or > 3600)
                    yield return Finding(stack, g.Endpoint, $"deployment_config.{name}.termination_wait_in_seconds = {TerraformValues.Show(t)} is outside 0 to 3600",
                        "keep the old fleet 0 to 3600 seconds after the shift");
                if (TerraformValues.Number(policy["maximum_execution_timeout_in_seconds"]) is not { } timeout) continue;
                if (timeout is < 600 or > 28800)
                    yield return Finding(stack, g.Endpoint, $"deployment_config.{name}.maximum_execution_timeout_in_seconds = {TerraformValues.Show(timeout)} is outside 600 to 28800",
                        "allow the deployment 600 to 28800 seconds");
                else if (timeout <= (wait ?? 0) + (termination ?? 0))
                    yield return Finding(stack, g.Endpoint,
                        $"deployment_config.{name}.maximum_execution_timeout_in_seconds = {TerraformValues.Show(timeout)} does not exceed the wait interval ({TerraformValues.Show(wait ?? 0)}) plus the termination wait ({TerraformValues.Show(termination ?? 0)})",
                        "raise the timeout above the wait interval plus the termination wait (times the number of steps for linear shifting)");
            }
        }
    }
}
