namespace MlopsTf.Constructs.StepFunctions;

/// <summary>The training job the pipeline runs.</summary>
public sealed record TrainingJobSpec
{
    /// <summary>Training image repository.</summary>
    public required ContainerRepository Repository { get; init; }

    /// <summary>Immutable image tag.</summary>
    public required string ImageTag { get; init; }

    /// <summary>Instance type.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Instance count.</summary>
    public required int InstanceCount { get; init; }

    /// <summary>Volume size in GB.</summary>
    public required int VolumeSizeGb { get; init; }

    /// <summary>Maximum run time in seconds.</summary>
    public required int MaxRuntimeSeconds { get; init; }

    /// <summary>Managed Spot training's longest total time (run plus waits for capacity), at least <see cref="MaxRuntimeSeconds"/>; null trains on demand. Default: null.</summary>
    public int? SpotMaxWaitSeconds { get; init; }

    /// <summary>Hyperparameters for the training image. Default: none.</summary>
    public IReadOnlyDictionary<string, string> HyperParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Execution role of the training job.</summary>
    public required ServiceRole ExecutionRole { get; init; }

    /// <summary>Private subnets of the job.</summary>
    public required string[] SubnetIds { get; init; }

    /// <summary>Security group of the job.</summary>
    public required string SecurityGroupId { get; init; }

    /// <summary>Key for the training volume and the model output.</summary>
    public required CustomerManagedKey Key { get; init; }

    /// <summary>
    /// The metrics SageMaker reads from the image's logs (a custom image reports none without them); each regex's first
    /// group is the value. At least the metric the evaluation gate reads.
    /// </summary>
    public required IReadOnlyList<TrainingMetric> Metrics { get; init; }
}

/// <summary>A metric SageMaker extracts from a training job's logs (<c>AlgorithmSpecification.MetricDefinitions</c>).</summary>
/// <param name="Name">Metric name, e.g. <c>validation:auc</c>.</param>
/// <param name="Regex">Regular expression whose first group is the value.</param>
public sealed record TrainingMetric(string Name, string Regex);

/// <summary>Props for <see cref="TrainingPipeline"/>.</summary>
public sealed record TrainingPipelineProps
{
    /// <summary>Data-validation function (first step).</summary>
    public required PythonFunction Validate { get; init; }

    /// <summary>Preprocessing Glue job (second step, run to completion).</summary>
    public required DataPreparation Preprocess { get; init; }

    /// <summary>Training job settings.</summary>
    public required TrainingJobSpec Training { get; init; }

    /// <summary>Bucket with the processed training data; each channel reads the prefix <see cref="Preprocess"/> writes it to.</summary>
    public required SecureBucket DataBucket { get; init; }

    /// <summary>Bucket receiving model artifacts under <see cref="DataLayout.Models.TrainingOutput"/>.</summary>
    public required SecureBucket ModelsBucket { get; init; }

    /// <summary>Model-evaluation function; it may describe the pipeline's training jobs.</summary>
    public required PythonFunction Evaluate { get; init; }

    /// <summary>The metric the evaluation function reads; one of the training job's <see cref="TrainingJobSpec.Metrics"/>.</summary>
    public required string EvaluationMetric { get; init; }

    /// <summary>Repository of the image that serves the registered models (what the endpoints deploy, not the training image).</summary>
    public required ContainerRepository InferenceRepository { get; init; }

    /// <summary>Immutable tag of that image.</summary>
    public required string InferenceImageTag { get; init; }

    /// <summary>Higher metric is better (true) or lower (false).</summary>
    public required bool MaximizeMetric { get; init; }

    /// <summary>Threshold the metric must reach to register the model.</summary>
    public required double Threshold { get; init; }

    /// <summary>Package group passing models are registered into (PendingManualApproval).</summary>
    public required ModelPackageGroup PackageGroup { get; init; }

    /// <summary>Topic notified of registrations, rejections and failures.</summary>
    public required AlertsTopic Alerts { get; init; }

    /// <summary>Key of the execution log group.</summary>
    public required CustomerManagedKey LogsKey { get; init; }

    /// <summary>Execution log retention in days.</summary>
    public required int LogRetentionDays { get; init; }

    /// <summary>EventBridge Scheduler expression for retraining.</summary>
    public required string Schedule { get; init; }

    /// <summary>Time zone of the schedule. Default: UTC.</summary>
    public string ScheduleTimezone { get; init; } = "UTC";

    /// <summary>
    /// A batch transform with the registered model after registration (a model is created for it in the VPC and
    /// deleted after); null skips it. Default: null.
    /// </summary>
    public BatchTransformSettings? BatchTransform { get; init; }

    /// <summary>Guardrail (no SageMaker jobs outside the VPC) attached to the pipeline role.</summary>
    public required SageMakerVpcGuard VpcGuard { get; init; }
}

/// <summary>
/// The ML pipeline as a Step Functions state machine: validate data (Lambda) → preprocess (Glue, run to completion) →
/// train (SageMaker, run to completion, in the VPC, KMS on volume and output) → evaluate (Lambda) → choice on the
/// metric against the threshold → register the model package as PendingManualApproval → notify. Every task retries
/// with backoff and catches into a notification and a failed execution. Logging at level ALL with execution data,
/// X-Ray tracing, and an EventBridge Scheduler schedule that starts it.
/// </summary>
public sealed class TrainingPipeline : Construct
{
    /// <summary>The state machine.</summary>
    public SfnStateMachine StateMachine { get; }

    /// <summary>The state machine's role.</summary>
    public ServiceRole Role { get; }

    /// <summary>State machine ARN.</summary>
    public string Arn => field ??= StateMachine.Arn;

    /// <summary>The definition (also what the tests read).</summary>
    public StateMachineDefinition Definition { get; }

    /// <summary>Lets <paramref name="grantee"/> start executions (inline policy <c>start-pipeline</c>, statement <c>StartPipeline</c>).</summary>
    public void GrantStartExecution(IGrantable grantee) =>
        grantee.AddPolicy("start-pipeline", Policy.Allow("StartPipeline", ["states:StartExecution"], [StateMachine.Arn]));

    private const int UuidLength = 36;
    private const int MaxTrainingJobName = 63;

    /// <summary>Creates the state machine, its role, log group and schedule.</summary>
    public TrainingPipeline(Construct scope, string id, TrainingPipelineProps props) : base(scope, id)
    {
        if (!double.IsFinite(props.Threshold))
            throw new ArgumentException($"TrainingPipelineProps.Threshold = {props.Threshold}: use a finite number.");
        if (props.Training.Metrics.All(m => m.Name != props.EvaluationMetric))
            throw new ArgumentException($"TrainingPipelineProps.EvaluationMetric = \"{props.EvaluationMetric}\" is not among Training.Metrics ({string.Join(", ", props.Training.Metrics.Select(m => m.Name))}): SageMaker would never report it; add its definition.");
        var context = StackContext.Of(scope);
        var trainingJobPrefix = context.Name("train");
        if (trainingJobPrefix.Length + 1 + UuidLength > MaxTrainingJobName)
            throw new ArgumentException($"The stack's name prefix \"{context.NamePrefix}\" makes training job names of {trainingJobPrefix.Length + 1 + UuidLength} characters ({trainingJobPrefix}-<uuid>); SageMaker accepts at most {MaxTrainingJobName}. Fix: shorten the project or environment name to at most {MaxTrainingJobName - UuidLength - "-train-".Length} characters together.");
        props.Training.Repository.ProtectTag(props.Training.ImageTag);
        props.InferenceRepository.ProtectTag(props.InferenceImageTag);
        var name = context.NamePrefix;

        var logs = new EncryptedLogGroup(this, "logs", new EncryptedLogGroupProps
        {
            LogGroupName = $"/aws/vendedlogs/states/{name}-training-pipeline",
            EncryptionKey = props.LogsKey,
            RetentionInDays = props.LogRetentionDays,
        });

        Role = new ServiceRole(this, "role", new ServiceRoleProps
        {
            RoleName = $"{name}-training-pipeline",
            Service = "states.amazonaws.com",
            Description = $"Runs the {name} training pipeline",
            ScopeToSourceAccount = true,
        });
        Role.AttachPolicy("vpc-guard", props.VpcGuard.Arn);
        Definition = TrainingPipelineDefinition.Build(context, props, trainingJobPrefix);
        props.Evaluate.Role.AddPolicy("describe-training-jobs", Policy.Allow("DescribeTrainingJobs", ["sagemaker:DescribeTrainingJob"],
            [context.ServiceArn("sagemaker", $"training-job/{trainingJobPrefix}-*")]));
        // Each task state carries the statements its integration needs; the role is what the definition asks for.
        Role.AddPolicy("pipeline-steps",
            [.. Definition.Permissions(),
            // Log delivery and X-Ray actions have no resource-level permissions.
            Policy.Allow("ExecutionLogDelivery",
                ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries",
                 "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"], ["*"]),
            Policy.Allow("Tracing", ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"], ["*"])]);

        StateMachine = new SfnStateMachine(this, "state-machine", new SfnStateMachineConfig
        {
            Name = $"{name}-training-pipeline",
            Type = "STANDARD",
            RoleArn = Role.Arn,
            Definition = JsonExpression.Encode(Definition.ToJson(), "definition"),
            LoggingConfiguration = new SfnStateMachineLoggingConfiguration
            {
                Level = "ALL",
                IncludeExecutionData = true,
                LogDestination = $"{logs.Arn}:*",
            },
            TracingConfiguration = new SfnStateMachineTracingConfiguration { Enabled = true },
        });

        var schedulerRole = new ServiceRole(this, "scheduler-role", new ServiceRoleProps
        {
            RoleName = $"{name}-retraining-schedule",
            Service = "scheduler.amazonaws.com",
            Description = $"Starts the {name} training pipeline on schedule",
            ScopeToSourceAccount = true,
        });
        GrantStartExecution(schedulerRole);
        new SchedulerSchedule(this, "schedule", new SchedulerScheduleConfig
        {
            Name = $"{name}-retraining",
            Description = "Starts the training pipeline",
            ScheduleExpression = props.Schedule,
            ScheduleExpressionTimezone = props.ScheduleTimezone,
            FlexibleTimeWindow = new SchedulerScheduleFlexibleTimeWindow { Mode = "OFF" },
            Target = new SchedulerScheduleTarget
            {
                Arn = StateMachine.Arn,
                RoleArn = schedulerRole.Arn,
                Input = "{\"trigger\":\"schedule\"}",
                RetryPolicy = new SchedulerScheduleTargetRetryPolicy { MaximumRetryAttempts = 3, MaximumEventAgeInSeconds = 3600 },
            },
        });
    }
}
