namespace MlopsTf.Constructs.Deployment;

/// <summary>Props for <see cref="ModelQualityMonitor"/>.</summary>
public sealed record ModelQualityMonitorProps
{
    /// <summary>Endpoint whose captured predictions are compared with ground truth; it must capture data.</summary>
    public required ModelEndpoint Endpoint { get; init; }

    /// <summary>Data bucket: ground truth under <see cref="DataLayout.Data.GroundTruth"/>, reports under <see cref="DataLayout.Data.Monitoring"/>.</summary>
    public required SecureBucket DataBucket { get; init; }

    /// <summary>Key for reports and job volumes.</summary>
    public required CustomerManagedKey Key { get; init; }

    /// <summary>Role of the monitoring job.</summary>
    public required ServiceRole Role { get; init; }

    /// <summary>Private subnets of the job.</summary>
    public required string[] SubnetIds { get; init; }

    /// <summary>Security group of the job.</summary>
    public required string SecurityGroupId { get; init; }

    /// <summary>What to run, when, and what degradation means.</summary>
    public required ModelQualitySettings Settings { get; init; }

    /// <summary>Topic the alarm notifies.</summary>
    public required AlertsTopic Alerts { get; init; }

    /// <summary>Pipeline started when the quality alarm fires; null to only notify.</summary>
    public TrainingPipeline? Retraining { get; init; }
}

/// <summary>
/// Model quality monitoring of a real-time endpoint: its captured predictions merged with the ground truth written under
/// <c>ground-truth/&lt;endpoint&gt;/</c>, a job definition and hourly schedule (in the VPC, KMS on outputs and volumes,
/// inter-container encryption, network isolation, CloudWatch metrics on), an alarm on the configured metric that
/// notifies the alerts topic and starts the retraining pipeline.
/// </summary>
/// <remarks>
/// The AWS provider has no model quality job definition resource (hashicorp/terraform-provider-aws#31378), so the job
/// definition and its schedule are one CloudFormation stack (<c>AWS::SageMaker::ModelQualityJobDefinition</c>, whose
/// every property is create-only, and <c>AWS::SageMaker::MonitoringSchedule</c>). The job definition's name carries a
/// hash of its settings: a change creates a new definition, points the schedule at it and deletes the old one, in
/// one stack update.
/// </remarks>
public sealed class ModelQualityMonitor : Construct
{
    /// <summary>The quality alarm.</summary>
    public CloudwatchMetricAlarm Alarm { get; }

    /// <summary>The CloudFormation stack holding the job definition and the schedule.</summary>
    public CloudformationStack Stack { get; }

    /// <summary>Name of the job definition.</summary>
    public string JobDefinitionName { get; }

    /// <summary>Name of the monitoring schedule (a dimension of the metrics).</summary>
    public string ScheduleName { get; }

    /// <summary>S3 URI under which ground truth is written (<c>yyyy/mm/dd/hh/*.jsonl</c> below it).</summary>
    public string GroundTruthUri { get; }

    /// <summary>Creates the stack of job definition and schedule, the alarm and the retraining rule.</summary>
    public ModelQualityMonitor(Construct scope, string id, ModelQualityMonitorProps props) : base(scope, id)
    {
        var q = props.Settings;
        SettingProblem.ThrowIfAny(nameof(ModelQualitySettings), props.Endpoint.Name, q.Problems());
        var endpoint = props.Endpoint.Name;
        GroundTruthUri = $"s3://{props.DataBucket.Name}/{DataLayout.Data.GroundTruth}{endpoint}/";
        props.DataBucket.GrantRead(props.Role, $"{DataLayout.Data.GroundTruth}{endpoint}/");
        JobDefinitionName = $"{endpoint}-model-quality-{DeployableModel.ShortHash(q.Shape)}";
        ScheduleName = $"{endpoint}-model-quality";

        var image = new DataAwsSagemakerPrebuiltEcrImage(this, "analyzer-image", new DataAwsSagemakerPrebuiltEcrImageConfig
        {
            RepositoryName = "sagemaker-model-monitor-analyzer",
            Region = StackContext.Of(scope).Region,
        });
        var endpointInput = new Dictionary<string, object>
        {
            ["EndpointName"] = props.Endpoint.Endpoint.Name,
            ["LocalPath"] = "/opt/ml/processing/input/endpoint",
            ["StartTimeOffset"] = q.StartTimeOffset,
            ["EndTimeOffset"] = q.EndTimeOffset,
        };
        if (q.InferenceAttribute is { } inference) endpointInput["InferenceAttribute"] = inference;
        if (q.ProbabilityAttribute is { } probability) endpointInput["ProbabilityAttribute"] = probability;
        if (q.ProbabilityThreshold is { } threshold) endpointInput["ProbabilityThresholdAttribute"] = threshold;
        var template = new Dictionary<string, object>
        {
            ["AWSTemplateFormatVersion"] = "2010-09-09",
            ["Description"] = $"Model quality monitoring of {endpoint} (managed by Terraform: change it in the platform's code)",
            ["Resources"] = new Dictionary<string, object>
            {
                ["JobDefinition"] = new Dictionary<string, object>
                {
                    ["Type"] = "AWS::SageMaker::ModelQualityJobDefinition",
                    ["Properties"] = new Dictionary<string, object>
                    {
                        ["JobDefinitionName"] = JobDefinitionName,
                        ["RoleArn"] = props.Role.Arn,
                        ["ModelQualityAppSpecification"] = new Dictionary<string, object>
                        {
                            ["ImageUri"] = image.RegistryPath,
                            ["ProblemType"] = q.ProblemType.ToString(),
                            ["Environment"] = new Dictionary<string, object> { ["publish_cloudwatch_metrics"] = "Enabled" },
                        },
                        ["ModelQualityJobInput"] = new Dictionary<string, object>
                        {
                            ["EndpointInput"] = endpointInput,
                            ["GroundTruthS3Input"] = new Dictionary<string, object> { ["S3Uri"] = GroundTruthUri },
                        },
                        ["ModelQualityJobOutputConfig"] = new Dictionary<string, object>
                        {
                            ["KmsKeyId"] = props.Key.Arn,
                            ["MonitoringOutputs"] = new object[]
                            {
                                new Dictionary<string, object>
                                {
                                    ["S3Output"] = new Dictionary<string, object>
                                    {
                                        ["S3Uri"] = $"s3://{props.DataBucket.Name}/{DataLayout.Data.Monitoring}{endpoint}/model-quality/",
                                        ["LocalPath"] = "/opt/ml/processing/output",
                                        ["S3UploadMode"] = "EndOfJob",
                                    },
                                },
                            },
                        },
                        ["JobResources"] = new Dictionary<string, object>
                        {
                            ["ClusterConfig"] = new Dictionary<string, object>
                            {
                                ["InstanceCount"] = 1,
                                ["InstanceType"] = q.InstanceType,
                                ["VolumeSizeInGB"] = 20,
                                ["VolumeKmsKeyId"] = props.Key.Arn,
                            },
                        },
                        ["NetworkConfig"] = new Dictionary<string, object>
                        {
                            ["EnableInterContainerTrafficEncryption"] = true,
                            ["EnableNetworkIsolation"] = true,
                            ["VpcConfig"] = new Dictionary<string, object> { ["SecurityGroupIds"] = new[] { props.SecurityGroupId }, ["Subnets"] = props.SubnetIds },
                        },
                        ["StoppingCondition"] = new Dictionary<string, object> { ["MaxRuntimeInSeconds"] = q.MaxRuntimeSeconds },
                    },
                },
                ["Schedule"] = new Dictionary<string, object>
                {
                    ["Type"] = "AWS::SageMaker::MonitoringSchedule",
                    ["DependsOn"] = "JobDefinition",
                    ["Properties"] = new Dictionary<string, object>
                    {
                        ["MonitoringScheduleName"] = ScheduleName,
                        ["EndpointName"] = props.Endpoint.Endpoint.Name,
                        ["MonitoringScheduleConfig"] = new Dictionary<string, object>
                        {
                            ["MonitoringJobDefinitionName"] = JobDefinitionName,
                            ["MonitoringType"] = "ModelQuality",
                            ["ScheduleConfig"] = new Dictionary<string, object> { ["ScheduleExpression"] = q.Schedule },
                        },
                    },
                },
            },
        };
        Stack = new CloudformationStack(this, "stack", new CloudformationStackConfig
        {
            Name = ScheduleName,
            TemplateBody = JsonExpression.Encode(JsonSerializer.Serialize(template), "template_body"),
        });

        var rise = ModelQualityMetric.RiseIsWorse(q.Metric);
        var missing = MissingData.NotBreaching("the model quality job publishes a metric only for a run that found captured predictions with their ground truth; an hour without labels has nothing to judge");
        Alarm = new CloudwatchMetricAlarm(this, "quality-alarm", new CloudwatchMetricAlarmConfig
        {
            AlarmName = $"{endpoint}-model-quality-{q.Metric}",
            AlarmDescription = missing.Describe($"Model quality of {endpoint}: {q.Metric} {(rise ? "above" : "below")} {q.Threshold.ToString(CultureInfo.InvariantCulture)} against ground truth"),
            Namespace = ModelQualityMetric.Namespace,
            MetricName = q.Metric,
            Dimensions = new Dictionary<string, string> { ["Endpoint"] = endpoint, ["MonitoringSchedule"] = ScheduleName },
            Statistic = "Average",
            Period = 3600,
            EvaluationPeriods = 1,
            Threshold = q.Threshold,
            ComparisonOperator = rise ? "GreaterThanThreshold" : "LessThanThreshold",
            TreatMissingData = missing.Treatment,
            ActionsEnabled = true,
            AlarmActions = [props.Alerts.Arn],
            OkActions = [props.Alerts.Arn],
            DependsOn = [Stack],
        });

        if (props.Retraining is { } pipeline && q.StartsRetraining)
        {
            RetrainOnAlarm.Wire(this, new RetrainOnAlarmProps
            {
                Alarm = Alarm,
                Pipeline = pipeline,
                RuleName = $"{endpoint}-retrain-on-quality",
                RuleDescription = $"Starts the training pipeline when {endpoint}'s model quality alarm ({q.Metric}) fires",
                RoleDescription = $"Starts the training pipeline on {endpoint} model quality degradation",
                RoleName = StackContext.Of(scope).Name($"{props.Endpoint.Node.Id}-retrain-quality"),
                Ids = ("retrain-on-quality", "events-role", "retrain-target"),
            });
        }
    }
}
