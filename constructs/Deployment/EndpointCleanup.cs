namespace MlopsTf.Constructs.Deployment;

/// <summary>Props for <see cref="EndpointCleanup"/>.</summary>
public sealed record EndpointCleanupProps
{
    /// <summary>Environment whose tagged endpoints are deleted.</summary>
    public required string Environment { get; init; }

    /// <summary>Handler source of the cleanup function.</summary>
    public required string SourceDirectory { get; init; }

    /// <summary>When it runs (EventBridge Scheduler expression).</summary>
    public required string Schedule { get; init; }

    /// <summary>Time zone of the schedule.</summary>
    public required string Timezone { get; init; }

    /// <summary>Private subnets of the function.</summary>
    public required string[] SubnetIds { get; init; }

    /// <summary>Security group of the function.</summary>
    public required string SecurityGroupId { get; init; }

    /// <summary>Key for the function's environment and dead-letter queue.</summary>
    public required CustomerManagedKey DataKey { get; init; }

    /// <summary>Key for the function's log group.</summary>
    public required CustomerManagedKey LogsKey { get; init; }

    /// <summary>Log retention in days.</summary>
    public required int LogRetentionDays { get; init; }
}

/// <summary>
/// The dev cost guardrail: an EventBridge Scheduler schedule that runs a function outside working hours to delete
/// this environment's endpoints tagged for cleanup. Endpoint configurations and models stay, so the next apply
/// recreates the endpoints.
/// </summary>
public sealed class EndpointCleanup : Construct
{
    /// <summary>Tag that opts an endpoint into the nightly deletion.</summary>
    public const string TagKey = "mlopstf:auto-cleanup";

    /// <summary>The cleanup function.</summary>
    public PythonFunction Function { get; }

    /// <summary>Creates the function, its permissions and schedule.</summary>
    public EndpointCleanup(Construct scope, string id, EndpointCleanupProps props) : base(scope, id)
    {
        var context = StackContext.Of(scope);
        var name = context.Name("endpoint-cleanup");
        Function = new PythonFunction(this, "function", new PythonFunctionProps
        {
            FunctionName = name,
            Description = $"Deletes {props.Environment} endpoints tagged {TagKey}=true outside working hours",
            SourceDirectory = props.SourceDirectory,
            Handler = "endpoint_cleanup.handler",
            SubnetIds = props.SubnetIds,
            SecurityGroupIds = [props.SecurityGroupId],
            DataKey = props.DataKey,
            LogsKey = props.LogsKey,
            LogRetentionDays = props.LogRetentionDays,
            ReservedConcurrency = 1,
            TimeoutSeconds = 300,
            Environment = new Dictionary<string, string> { ["ENVIRONMENT"] = props.Environment, ["TAG_KEY"] = TagKey, ["TAG_VALUE"] = "true" },
        });
        Function.Role.AddPolicy("delete-tagged-endpoints",
            // ListEndpoints has no resource-level permissions.
            Policy.Allow("ListEndpoints", ["sagemaker:ListEndpoints"], ["*"]),
            Policy.Allow("ReadEndpointTags", ["sagemaker:ListTags", "sagemaker:DescribeEndpoint"], [context.ServiceArn("sagemaker", "endpoint/*")]),
            Policy.Allow("DeleteOwnTaggedEndpoints", ["sagemaker:DeleteEndpoint"], [context.ServiceArn("sagemaker", $"endpoint/{context.NamePrefix}-*")],
                conditions:
                [
                    Policy.When("StringEquals", "aws:ResourceTag/Environment", props.Environment),
                    Policy.When("StringEquals", $"aws:ResourceTag/{TagKey}", "true"),
                ]));

        var schedulerRole = new ServiceRole(this, "scheduler-role", new ServiceRoleProps
        {
            RoleName = $"{name}-schedule",
            Service = "scheduler.amazonaws.com",
            Description = "Runs the nightly endpoint cleanup",
            ScopeToSourceAccount = true,
        });
        Function.GrantInvoke(schedulerRole, "invoke-cleanup", "InvokeCleanup");
        new SchedulerSchedule(this, "schedule", new SchedulerScheduleConfig
        {
            Name = name,
            Description = "Deletes tagged endpoints outside working hours",
            ScheduleExpression = props.Schedule,
            ScheduleExpressionTimezone = props.Timezone,
            FlexibleTimeWindow = new SchedulerScheduleFlexibleTimeWindow { Mode = "OFF" },
            Target = new SchedulerScheduleTarget
            {
                Arn = Function.Arn,
                RoleArn = schedulerRole.Arn,
                RetryPolicy = new SchedulerScheduleTargetRetryPolicy { MaximumRetryAttempts = 2, MaximumEventAgeInSeconds = 3600 },
            },
        });
    }
}
