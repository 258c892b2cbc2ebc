namespace MlopsTf.Constructs.Deployment;

/// <summary>Props for <see cref="RetrainOnAlarm.Wire"/>.</summary>
public sealed record RetrainOnAlarmProps
{
    /// <summary>The alarm whose move to ALARM starts the pipeline.</summary>
    public required CloudwatchMetricAlarm Alarm { get; init; }

    /// <summary>The pipeline started.</summary>
    public required TrainingPipeline Pipeline { get; init; }

    /// <summary>EventBridge rule name.</summary>
    public required string RuleName { get; init; }

    /// <summary>The rule's description.</summary>
    public required string RuleDescription { get; init; }

    /// <summary>The role's description.</summary>
    public required string RoleDescription { get; init; }

    /// <summary>Name of the role EventBridge assumes to start the pipeline.</summary>
    public required string RoleName { get; init; }

    /// <summary>Construct ids of the rule, the role and the target (kept stable: they name deployed resources).</summary>
    public required (string Rule, string Role, string Target) Ids { get; init; }
}

/// <summary>
/// An EventBridge rule on an alarm's state change to ALARM that starts the training pipeline, with a role EventBridge
/// (of this account only) assumes that may start exactly that pipeline.
/// </summary>
public static class RetrainOnAlarm
{
    /// <summary>Adds the rule, role and target to <paramref name="scope"/>.</summary>
    public static void Wire(Construct scope, RetrainOnAlarmProps props)
    {
        var rule = new CloudwatchEventRule(scope, props.Ids.Rule, new CloudwatchEventRuleConfig
        {
            Name = props.RuleName,
            Description = props.RuleDescription,
            EventPattern = JsonExpression.Encode(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["source"] = new[] { "aws.cloudwatch" },
                ["detail-type"] = new[] { "CloudWatch Alarm State Change" },
                ["resources"] = new[] { props.Alarm.Arn },
                ["detail"] = new Dictionary<string, object> { ["state"] = new Dictionary<string, object> { ["value"] = new[] { "ALARM" } } },
            }), "event_pattern"),
        });
        var role = new ServiceRole(scope, props.Ids.Role, new ServiceRoleProps
        {
            RoleName = props.RoleName,
            Service = "events.amazonaws.com",
            Description = props.RoleDescription,
            ScopeToSourceAccount = true,
        });
        props.Pipeline.GrantStartExecution(role);
        new CloudwatchEventTarget(scope, props.Ids.Target, new CloudwatchEventTargetConfig
        {
            Rule = rule.Name,
            Arn = props.Pipeline.Arn,
            RoleArn = role.Arn,
            TargetId = "training-pipeline",
        });
    }
}
