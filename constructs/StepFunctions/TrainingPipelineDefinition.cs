namespace MlopsTf.Constructs.StepFunctions;

/// <summary>
/// The training pipeline's states: validate the raw data, preprocess with Glue, train in the VPC, evaluate, register
/// above the threshold for manual approval, and notify on every outcome. Each task carries its own permissions
/// (<see cref="PipelineTasks"/>); <see cref="TrainingPipeline"/> derives its role from them.
/// </summary>
public static class TrainingPipelineDefinition
{
    /// <summary>The definition for <paramref name="p"/>, training jobs named <paramref name="trainingJobPrefix"/>-&lt;uuid&gt;.</summary>
    public static StateMachineDefinition Build(StackContext context, TrainingPipelineProps p, string trainingJobPrefix)
    {
        var scope = context;
        var t = p.Training;
        Catcher[] notifyOnError = [new(["States.ALL"], "NotifyFailure", "$.error")];
        // The Lambda service errors Step Functions recommends retrying, and throttling
        // (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html).
        Retrier[] lambdaRetry = [new(["Lambda.ClientExecutionTimeoutException", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"], 2, 3, 2.0)];
        Retrier[] serviceRetry(string service) => [new([$"{service}.ThrottlingException", "States.Timeout"], 10, 2, 2.0)];
        var publish = PipelineTasks.Publish(scope, p.Alerts);
        TaskState Notify(string subject, string messageExpression, string? next, Catcher[]? onError = null) =>
            publish with
            {
                Parameters = PipelineTasks.Message(publish, $"[{context.NamePrefix}] {subject}", messageExpression),
                ResultPath = "$.notification",
                Retry = [new(["SNS.ThrottledException", "SNS.InternalErrorException"], 5, 3, 2.0)],
                Catch = onError,
                Next = next,
                End = next is null ? true : null,
            };

        var passes = new ChoiceRule
        {
            Variable = "$.evaluation.metric_value",
            NumericGreaterThanEquals = p.MaximizeMetric ? p.Threshold : null,
            NumericLessThanEquals = p.MaximizeMetric ? null : p.Threshold,
            Next = "RegisterModel",
        };
        var states = new Dictionary<string, State>
        {
            ["ValidateData"] = PipelineTasks.InvokeFunction(scope, p.Validate, new Dictionary<string, object> { ["execution_id.$"] = "$$.Execution.Name" }) with
            {
                Comment = "Checks the raw data before anything is spent on it",
                ResultSelector = new Dictionary<string, object> { ["report.$"] = "$.Payload" },
                ResultPath = "$.validation",
                TimeoutSeconds = 900,
                Retry = lambdaRetry,
                Catch = notifyOnError,
                Next = "Preprocess",
            },
            ["Preprocess"] = PipelineTasks.RunGlueJob(scope, p.Preprocess) with
            {
                Comment = "Runs the Glue preprocessing job to completion",
                ResultSelector = new Dictionary<string, object> { ["JobRunId.$"] = "$.Id", ["JobRunState.$"] = "$.JobRunState" },
                ResultPath = "$.preprocess",
                TimeoutSeconds = 7200,
                Retry = [new(["Glue.ConcurrentRunsExceededException", "Glue.ThrottlingException"], 60, 3, 2.0)],
                Catch = notifyOnError,
                Next = "Train",
            },
            ["Train"] = PipelineTasks.RunTrainingJob(scope, trainingJobPrefix, t.ExecutionRole, new Dictionary<string, object>
            {
                // A UUID, not the execution name: execution names may be 80 characters with underscores, training
                // job names at most 63 of [a-zA-Z0-9-] (API_CreateTrainingJob); the tag keeps the execution.
                ["TrainingJobName.$"] = $"States.Format('{trainingJobPrefix}-{{}}', States.UUID())",
                ["AlgorithmSpecification"] = new Dictionary<string, object>
                {
                    ["TrainingImage"] = $"{t.Repository.Url}:{t.ImageTag}",
                    ["TrainingInputMode"] = "File",
                    ["MetricDefinitions"] = t.Metrics.Select(m => new Dictionary<string, object> { ["Name"] = m.Name, ["Regex"] = m.Regex }).ToArray(),
                },
                ["RoleArn"] = t.ExecutionRole.Arn,
                ["InputDataConfig"] = p.Preprocess.ChannelPrefixes.Select(channel => new Dictionary<string, object>
                {
                    ["ChannelName"] = channel.Key,
                    ["DataSource"] = new Dictionary<string, object>
                    {
                        ["S3DataSource"] = new Dictionary<string, object>
                        {
                            ["S3DataType"] = "S3Prefix",
                            ["S3Uri"] = $"s3://{p.DataBucket.Name}/{channel.Value}",
                            ["S3DataDistributionType"] = "FullyReplicated",
                        },
                    },
                }).ToArray(),
                ["OutputDataConfig"] = new Dictionary<string, object>
                {
                    ["S3OutputPath"] = $"s3://{p.ModelsBucket.Name}/{DataLayout.Models.TrainingOutput}",
                    ["KmsKeyId"] = t.Key.Arn,
                },
                ["ResourceConfig"] = new Dictionary<string, object>
                {
                    ["InstanceType"] = t.InstanceType,
                    ["InstanceCount"] = t.InstanceCount,
                    ["VolumeSizeInGB"] = t.VolumeSizeGb,
                    ["VolumeKmsKeyId"] = t.Key.Arn,
                },
                ["StoppingCondition"] = t.SpotMaxWaitSeconds is { } wait
                    ? new Dictionary<string, object> { ["MaxRuntimeInSeconds"] = t.MaxRuntimeSeconds, ["MaxWaitTimeInSeconds"] = wait }
                    : new Dictionary<string, object> { ["MaxRuntimeInSeconds"] = t.MaxRuntimeSeconds },
                ["VpcConfig"] = new Dictionary<string, object>
                {
                    ["SecurityGroupIds"] = new[] { t.SecurityGroupId },
                    ["Subnets"] = t.SubnetIds,
                },
                ["EnableNetworkIsolation"] = true,
                ["EnableInterContainerTrafficEncryption"] = true,
                ["Tags"] = new[] { new Dictionary<string, object> { ["Key"] = "mlopstf:execution", ["Value.$"] = "$$.Execution.Name" } },
            }.Concat(SpotAndHyperParameters(t, p)).ToDictionary()) with
            {
                Comment = "Trains in the VPC, network-isolated, with KMS on volume and output",
                ResultSelector = new Dictionary<string, object>
                {
                    ["TrainingJobName.$"] = "$.TrainingJobName",
                    ["ModelArtifacts.$"] = "$.ModelArtifacts.S3ModelArtifacts",
                },
                ResultPath = "$.training",
                TimeoutSeconds = (t.SpotMaxWaitSeconds ?? t.MaxRuntimeSeconds) + 3600,
                // Only throttling is retried: after a time-out the first job may still be running.
                Retry = [new(["SageMaker.ThrottlingException"], 30, 2, 2.0)],
                Catch = notifyOnError,
                Next = "Evaluate",
            },
            ["Evaluate"] = PipelineTasks.InvokeFunction(scope, p.Evaluate, new Dictionary<string, object> { ["training_job_name.$"] = "$.training.TrainingJobName" }) with
            {
                Comment = "Reads the evaluation metric of the training job",
                ResultSelector = new Dictionary<string, object>
                {
                    ["metric_name.$"] = "$.Payload.metric_name",
                    ["metric_value.$"] = "$.Payload.metric_value",
                },
                ResultPath = "$.evaluation",
                TimeoutSeconds = 300,
                Retry = lambdaRetry,
                Catch = notifyOnError,
                Next = "MeetsThreshold",
            },
            ["MeetsThreshold"] = new ChoiceState
            {
                Comment = $"Registers the model only when the metric is {(p.MaximizeMetric ? "at least" : "at most")} {p.Threshold}",
                Choices = [passes],
                Default = "NotifyRejected",
            },
            ["RegisterModel"] = PipelineTasks.RegisterModelPackage(scope, p.PackageGroup, new Dictionary<string, object>
            {
                ["ModelApprovalStatus"] = "PendingManualApproval",
                ["ModelPackageDescription.$"] = "States.Format('Trained by {} ({} = {})', $.training.TrainingJobName, $.evaluation.metric_name, $.evaluation.metric_value)",
                ["InferenceSpecification"] = new Dictionary<string, object>
                {
                    ["Containers"] = new object[]
                    {
                        new Dictionary<string, object>
                        {
                            ["Image"] = $"{p.InferenceRepository.Url}:{p.InferenceImageTag}",
                            ["ModelDataUrl.$"] = "$.training.ModelArtifacts",
                        },
                    },
                    ["SupportedContentTypes"] = new[] { "text/csv", "application/json" },
                    ["SupportedResponseMIMETypes"] = new[] { "text/csv", "application/json" },
                },
            }) with
            {
                Comment = "Registers the model version for manual approval",
                ResultSelector = new Dictionary<string, object> { ["ModelPackageArn.$"] = "$.ModelPackageArn" },
                ResultPath = "$.registration",
                TimeoutSeconds = 60,
                Retry = serviceRetry("SageMaker"),
                Catch = notifyOnError,
                Next = p.BatchTransform is null ? "NotifyRegistered" : "CreateBatchModel",
            },
            ["NotifyRegistered"] = Notify("Model registered for approval",
                "States.Format('Model package {} awaits approval ({} = {}).', $.registration.ModelPackageArn, $.evaluation.metric_name, $.evaluation.metric_value)",
                next: null, onError: notifyOnError),
            ["NotifyRejected"] = Notify("Model below threshold",
                $"States.Format('Training job {{}} was not registered: {{}} = {{}} does not meet the threshold {p.Threshold}.', $.training.TrainingJobName, $.evaluation.metric_name, $.evaluation.metric_value)",
                next: null, onError: notifyOnError),
            ["NotifyFailure"] = Notify("Training pipeline failed",
                "States.Format('Execution {} failed: {}', $$.Execution.Name, States.JsonToString($.error))",
                next: "PipelineFailed"),
            ["PipelineFailed"] = new FailState { Error = "PipelineFailed", Cause = "A pipeline step failed; the alerts topic has the details." },
        };
        if (p.BatchTransform is { } batch)
        {
            foreach (var (name, state) in BatchTransformStates(context, p, batch, trainingJobPrefix, notifyOnError, serviceRetry("SageMaker")))
                states[name] = state;
        }
        return new StateMachineDefinition($"{context.NamePrefix} training pipeline", "ValidateData", states);
    }

    /// <summary>
    /// The registered model scores the batch input: a model from the training job's artifacts and the inference image
    /// (in the VPC, network-isolated, named like the training job), a transform job of the same name run to completion
    /// (KMS on output and volume), then the model deleted again.
    /// </summary>
    private static IEnumerable<(string Name, State State)> BatchTransformStates(StackContext context, TrainingPipelineProps p, BatchTransformSettings batch,
        string jobPrefix, Catcher[] notifyOnError, Retrier[] retry)
    {
        var t = p.Training;
        yield return ("CreateBatchModel", PipelineTasks.CreateModel(context, jobPrefix, t.ExecutionRole, new Dictionary<string, object>
        {
            ["ModelName.$"] = "$.training.TrainingJobName",
            ["ExecutionRoleArn"] = t.ExecutionRole.Arn,
            ["PrimaryContainer"] = new Dictionary<string, object>
            {
                ["Image"] = $"{p.InferenceRepository.Url}:{p.InferenceImageTag}",
                ["ModelDataUrl.$"] = "$.training.ModelArtifacts",
            },
            ["VpcConfig"] = new Dictionary<string, object> { ["SecurityGroupIds"] = new[] { t.SecurityGroupId }, ["Subnets"] = t.SubnetIds },
            ["EnableNetworkIsolation"] = true,
        }) with
        {
            Comment = "A model of the registered version for the batch transform, in the VPC",
            ResultPath = "$.batchModel",
            TimeoutSeconds = 60,
            Retry = retry,
            Catch = notifyOnError,
            Next = "BatchTransform",
        });
        yield return ("BatchTransform", PipelineTasks.RunTransformJob(context, jobPrefix, new Dictionary<string, object>
        {
            ["TransformJobName.$"] = "$.training.TrainingJobName",
            ["ModelName.$"] = "$.training.TrainingJobName",
            ["BatchStrategy"] = batch.SplitType == "None" ? "SingleRecord" : "MultiRecord",
            ["MaxPayloadInMB"] = batch.MaxPayloadMb,
            ["TransformInput"] = new Dictionary<string, object>
            {
                ["DataSource"] = new Dictionary<string, object>
                {
                    ["S3DataSource"] = new Dictionary<string, object> { ["S3DataType"] = "S3Prefix", ["S3Uri"] = $"s3://{p.DataBucket.Name}/{batch.InputPrefix}" },
                },
                ["ContentType"] = batch.ContentType,
                ["SplitType"] = batch.SplitType,
            },
            ["TransformOutput"] = new Dictionary<string, object>
            {
                ["S3OutputPath.$"] = $"States.Format('s3://{p.DataBucket.Name}/{DataLayout.Data.BatchTransformOutput}{{}}/', $$.Execution.Name)",
                ["KmsKeyId"] = p.DataBucket.EncryptionKey!.Arn,
                ["AssembleWith"] = batch.SplitType == "Line" ? "Line" : "None",
            },
            ["TransformResources"] = new Dictionary<string, object>
            {
                ["InstanceType"] = batch.InstanceType,
                ["InstanceCount"] = batch.InstanceCount,
                ["VolumeKmsKeyId"] = t.Key.Arn,
            },
            ["Tags"] = new[] { new Dictionary<string, object> { ["Key"] = "mlopstf:execution", ["Value.$"] = "$$.Execution.Name" } },
        }) with
        {
            Comment = $"Scores {batch.InputPrefix} with the registered model",
            ResultSelector = new Dictionary<string, object> { ["TransformJobName.$"] = "$.TransformJobName", ["OutputPath.$"] = "$.TransformOutput.S3OutputPath" },
            ResultPath = "$.batchTransform",
            TimeoutSeconds = batch.TimeoutSeconds,
            Retry = [new(["SageMaker.ThrottlingException"], 30, 2, 2.0)],
            Catch = notifyOnError,
            Next = "DeleteBatchModel",
        });
        yield return ("DeleteBatchModel", PipelineTasks.DeleteModel(context, jobPrefix, new Dictionary<string, object> { ["ModelName.$"] = "$.training.TrainingJobName" }) with
        {
            Comment = "The batch model is not kept: the registered package is the version of record",
            ResultPath = "$.batchModelDeleted",
            TimeoutSeconds = 60,
            Retry = retry,
            Catch = notifyOnError,
            Next = "NotifyRegistered",
        });
    }

    /// <summary>
    /// Managed Spot training with a checkpoint folder per execution (an interrupted job resumes from it), and the
    /// hyperparameters; none of them for an on-demand job without hyperparameters.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, object>> SpotAndHyperParameters(TrainingJobSpec t, TrainingPipelineProps p)
    {
        if (t.SpotMaxWaitSeconds is not null)
        {
            yield return new("EnableManagedSpotTraining", true);
            yield return new("CheckpointConfig", new Dictionary<string, object>
            {
                ["S3Uri.$"] = $"States.Format('s3://{p.ModelsBucket.Name}/{DataLayout.Models.Checkpoints}{{}}/', $$.Execution.Name)",
            });
        }
        if (t.HyperParameters.Count > 0)
            yield return new("HyperParameters", t.HyperParameters.ToDictionary(h => h.Key, h => (object)h.Value));
    }
}
