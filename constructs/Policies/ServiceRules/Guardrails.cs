namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>The deployment guardrails of an endpoint (<c>deployment_config</c>).</summary>
/// <param name="Endpoint">The <c>aws_sagemaker_endpoint</c>.</param>
/// <param name="BlueGreen">Its <c>blue_green_update_policy</c>, or null.</param>
/// <param name="Rolling">Its <c>rolling_update_policy</c>, or null.</param>
/// <param name="AutoRollback">Its <c>auto_rollback_configuration</c>, or null.</param>
public sealed record EndpointGuardrails(StackResource Endpoint, JsonObject? BlueGreen, JsonObject? Rolling, JsonObject? AutoRollback)
{
    /// <summary>The blue/green traffic routing, or null.</summary>
    public JsonObject? TrafficRouting => TerraformValues.Block(BlueGreen?["traffic_routing_configuration"]);

    /// <summary>The traffic routing type (<c>ALL_AT_ONCE</c>, <c>CANARY</c>, <c>LINEAR</c>), or null.</summary>
    public string? TrafficType => TerraformValues.Literal(TrafficRouting?["type"]);

    /// <summary>Whether the endpoint shifts traffic in steps (canary, linear or rolling): what guardrail exclusions apply to.</summary>
    public bool ShiftsTraffic => TrafficType is "CANARY" or "LINEAR" || Rolling is not null;
}

/// <summary>Reads endpoints' deployment guardrails.</summary>
public static class Guardrails
{
    /// <summary>Every endpoint of the stack that has a <c>deployment_config</c>.</summary>
    public static IEnumerable<EndpointGuardrails> All(StackDocument stack) =>
        from endpoint in stack.Resources("aws_sagemaker_endpoint")
        let config = TerraformValues.Block(endpoint.Body["deployment_config"])
        where config is not null
        select new EndpointGuardrails(endpoint, TerraformValues.Block(config["blue_green_update_policy"]),
            TerraformValues.Block(config["rolling_update_policy"]), TerraformValues.Block(config["auto_rollback_configuration"]));
}
