namespace MlopsTf.Constructs.StepFunctions;

/// <summary>
/// Task states for the service integrations the pipeline uses. Each returns the state (its resource and parameters;
/// callers add result handling, retries and transitions with <c>with</c>) together with the IAM statements Step
/// Functions needs to run it, as the developer guide lists them per integration
/// (https://docs.aws.amazon.com/step-functions/latest/dg/service-integration-iam-templates.html).
/// </summary>
public static class PipelineTasks
{
    /// <summary>Invokes a function synchronously (<c>lambda:invoke</c>) with <paramref name="payload"/>.</summary>
    public static TaskState InvokeFunction(StackContext scope, PythonFunction function, IDictionary<string, object> payload) => new()
    {
        Resource = $"arn:{scope.Partition}:states:::lambda:invoke",
        Parameters = new Dictionary<string, object> { ["FunctionName"] = function.Arn, ["Payload"] = payload },
        Permissions = [function.InvokeStatement("InvokeStepFunctions", qualified: true)],
    };

    /// <summary>Runs the preparation's Glue job to completion (<c>glue:startJobRun.sync</c>).</summary>
    public static TaskState RunGlueJob(StackContext scope, DataPreparation preparation) => new()
    {
        Resource = $"arn:{scope.Partition}:states:::glue:startJobRun.sync",
        Parameters = new Dictionary<string, object> { ["JobName"] = preparation.Job.Name },
        Permissions = [preparation.RunJobStatement("RunPreprocessJob")],
    };

    /// <summary>
    /// Runs a training job to completion (<c>sagemaker:createTrainingJob.sync</c>) named <paramref name="jobPrefix"/>-*,
    /// passing <paramref name="executionRole"/> to SageMaker; <paramref name="parameters"/> is the CreateTrainingJob request.
    /// </summary>
    public static TaskState RunTrainingJob(StackContext scope, string jobPrefix, ServiceRole executionRole, IDictionary<string, object> parameters) => new()
    {
        Resource = $"arn:{scope.Partition}:states:::sagemaker:createTrainingJob.sync",
        Parameters = parameters,
        Permissions =
        [
            Policy.Allow("RunTrainingJobs", ["sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob", "sagemaker:AddTags"],
                [scope.ServiceArn("sagemaker", $"training-job/{jobPrefix}-*")]),
            Policy.Allow("PassTrainingRole", ["iam:PassRole"], [executionRole.Arn],
                conditions: [Policy.When("StringEquals", "iam:PassedToService", "sagemaker.amazonaws.com")]),
            // .sync follows the job through a rule Step Functions manages in the account.
            Policy.Allow("SyncTrainingJobEvents", ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
                [scope.ServiceArn("events", "rule/StepFunctionsGetEventsForSageMakerTrainingJobsRule")]),
        ],
    };

    /// <summary>
    /// Creates a SageMaker model named <paramref name="modelPrefix"/>-* (<c>sagemaker:createModel</c>), passing
    /// <paramref name="executionRole"/>; <paramref name="parameters"/> is the CreateModel request.
    /// </summary>
    public static TaskState CreateModel(StackContext scope, string modelPrefix, ServiceRole executionRole, IDictionary<string, object> parameters) => new()
    {
        Resource = $"arn:{scope.Partition}:states:::sagemaker:createModel",
        Parameters = parameters,
        Permissions =
        [
            Policy.Allow("CreateBatchModels", ["sagemaker:CreateModel", "sagemaker:AddTags"], [scope.ServiceArn("sagemaker", $"model/{modelPrefix}-*")]),
            Policy.Allow("PassBatchModelRole", ["iam:PassRole"], [executionRole.Arn],
                conditions: [Policy.When("StringEquals", "iam:PassedToService", "sagemaker.amazonaws.com")]),
        ],
    };

    /// <summary>Deletes a model named <paramref name="modelPrefix"/>-* (<c>aws-sdk:sagemaker:deleteModel</c>).</summary>
    public static TaskState DeleteModel(StackContext scope, string modelPrefix, IDictionary<string, object> parameters) => new()
    {
        Resource = $"arn:{scope.Partition}:states:::aws-sdk:sagemaker:deleteModel",
        Parameters = parameters,
        Permissions = [Policy.Allow("DeleteBatchModels", ["sagemaker:DeleteModel"], [scope.ServiceArn("sagemaker", $"model/{modelPrefix}-*")])],
    };

    /// <summary>
    /// Runs a transform job named <paramref name="jobPrefix"/>-* to completion (<c>sagemaker:createTransformJob.sync</c>),
    /// with the permissions the developer guide lists for it (https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html);
    /// <paramref name="parameters"/> is the CreateTransformJob request.
    /// </summary>
    public static TaskState RunTransformJob(StackContext scope, string jobPrefix, IDictionary<string, object> parameters) => new()
    {
        Resource = $"arn:{scope.Partition}:states:::sagemaker:createTransformJob.sync",
        Parameters = parameters,
        Permissions =
        [
            Policy.Allow("RunTransformJobs", ["sagemaker:CreateTransformJob", "sagemaker:DescribeTransformJob", "sagemaker:StopTransformJob", "sagemaker:AddTags", "sagemaker:ListTags"],
                [scope.ServiceArn("sagemaker", $"transform-job/{jobPrefix}-*")]),
            Policy.Allow("SyncTransformJobEvents", ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
                [scope.ServiceArn("events", "rule/StepFunctionsGetEventsForSageMakerTransformJobsRule")]),
        ],
    };

    /// <summary>Registers a model package in <paramref name="group"/> (<c>aws-sdk:sagemaker:createModelPackage</c>).</summary>
    public static TaskState RegisterModelPackage(StackContext scope, ModelPackageGroup group, IDictionary<string, object> parameters) => new()
    {
        Resource = $"arn:{scope.Partition}:states:::aws-sdk:sagemaker:createModelPackage",
        Parameters = new[] { KeyValuePair.Create("ModelPackageGroupName", (object)group.Name) }.Concat(parameters)
            .ToDictionary(kv => kv.Key, kv => kv.Value),
        Permissions = [group.RegisterStatement("RegisterModels")],
    };

    /// <summary>
    /// Publishing to <paramref name="topic"/> (<c>sns:publish</c>) with the topic's own publish grant; give each state its
    /// message with <see cref="Message"/>, so that all of them share one set of permissions.
    /// </summary>
    public static TaskState Publish(StackContext scope, AlertsTopic topic) => new()
    {
        Resource = $"arn:{scope.Partition}:states:::sns:publish",
        Parameters = new Dictionary<string, object> { ["TopicArn"] = topic.Arn },
        Permissions = topic.PublishStatements(),
    };

    /// <summary>The parameters of a <see cref="Publish"/> state with its subject and message.</summary>
    public static Dictionary<string, object> Message(TaskState publish, string subject, string messageExpression) =>
        new((IDictionary<string, object>)publish.Parameters!) { ["Subject"] = subject, ["Message.$"] = messageExpression };
}
