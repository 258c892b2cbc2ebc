namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Auto-rollback names 1 to 10 alarms, each an alarm of this stack (SageMaker looks them up by name in the
/// endpoint's account and Region; a name that matches no alarm never rolls anything back).
/// </summary>
public sealed class RollbackAlarmsRule() : ServiceRule(
    "MLOPSTF-AWS-015",
    "Auto-rollback names 1-10 alarms, each a CloudWatch alarm of the stack",
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AutoRollbackConfig.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        Findings(stack, Guardrails.All(stack), g => g.Endpoint, g => Check(stack, g));

    private static IEnumerable<Violation> Check(StackDocument stack, EndpointGuardrails g)
    {
        if (g.AutoRollback is not { } rollback) yield break;
        var alarms = TerraformValues.Blocks(rollback["alarms"]).Select(a => TerraformValues.Text(a["alarm_name"])).ToList();
        if (alarms.Count is < 1 or > 10)
            yield return new($"deployment_config.auto_rollback_configuration names {alarms.Count} alarms; SageMaker accepts 1 to 10",
                "name between 1 and 10 alarms that watch the new fleet");
        foreach (var name in alarms)
        {
            if (stack.Named("aws_cloudwatch_metric_alarm", "alarm_name", name) is null)
                yield return new($"deployment_config.auto_rollback_configuration alarm_name = {name ?? "unset"} is not an aws_cloudwatch_metric_alarm of this stack",
                    "reference the alarm_name of an alarm the stack defines (${aws_cloudwatch_metric_alarm.<name>.alarm_name})");
        }
    }
}
