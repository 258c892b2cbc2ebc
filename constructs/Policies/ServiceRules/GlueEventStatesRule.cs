namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// EventBridge patterns on Glue state changes match only states Glue emits: a job state change is SUCCEEDED, FAILED,
/// TIMEOUT or STOPPED, a crawler state change Started, Succeeded or Failed; any other value never matches.
/// </summary>
public sealed class GlueEventStatesRule() : ServiceRule(
    "MLOPSTF-AWS-035",
    "EventBridge patterns on Glue state changes use only states Glue emits",
    "https://docs.aws.amazon.com/glue/latest/dg/automating-awsglue-with-cloudwatch-events.html")
{
    private static readonly Dictionary<string, string[]> States = new(StringComparer.Ordinal)
    {
        ["Glue Job State Change"] = ["SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED"],
        ["Glue Crawler State Change"] = ["Started", "Succeeded", "Failed"],
    };

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var rule in stack.Resources("aws_cloudwatch_event_rule"))
        {
            if (TerraformValues.ParseEmbedded(rule.String("event_pattern")) is not JsonObject pattern) continue;
            if (!TerraformValues.Strings(pattern["source"]).Contains("aws.glue")) continue;
            var stateValues = TerraformValues.Strings(pattern["detail"]?["state"]);
            foreach (var detailType in TerraformValues.Strings(pattern["detail-type"]))
            {
                if (!States.TryGetValue(detailType, out var emitted)) continue;
                var never = stateValues.Where(s => !emitted.Contains(s)).ToList();
                if (never.Count > 0)
                    yield return Finding(stack, rule,
                        $"event_pattern detail.state [{string.Join(", ", stateValues)}] includes {string.Join(", ", never)}, which \"{detailType}\" never carries",
                        $"match only {string.Join(", ", emitted)}");
            }
        }
    }
}
