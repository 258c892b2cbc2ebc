namespace MlopsTf.Constructs.Deployment;

/// <summary>Props for <see cref="DriftMonitor"/>.</summary>
public sealed record DriftMonitorProps
{
    /// <summary>Endpoint whose captured data is checked.</summary>
    public required ModelEndpoint Endpoint { get; init; }

    /// <summary>Bucket for the monitoring reports (under <see cref="DataLayout.Data.Monitoring"/><c>&lt;endpoint&gt;/</c>).</summary>
    public required SecureBucket ReportsBucket { get; init; }

    /// <summary>Key for reports and job volumes.</summary>
    public required CustomerManagedKey Key { get; init; }

    /// <summary>Role of the monitoring job.</summary>
    public required ServiceRole Role { get; init; }

    /// <summary>Private subnets of the job.</summary>
    public required string[] SubnetIds { get; init; }

    /// <summary>Security group of the job.</summary>
    public required string SecurityGroupId { get; init; }

    /// <summary>Instance type of the job.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Cron schedule of the job.</summary>
    public required string Schedule { get; init; }

    /// <summary>Feature whose drift metric is alarmed on.</summary>
    public required string Feature { get; init; }

    /// <summary>Drift distance that raises the alarm.</summary>
    public required double Threshold { get; init; }

    /// <summary>S3 prefix (<c>s3://bucket/key/</c>) of the baseline's constraints.json and statistics.json; null for none.</summary>
    public string? BaselineS3Prefix { get; init; }

    /// <summary>Topic the alarm notifies.</summary>
    public required AlertsTopic Alerts { get; init; }

    /// <summary>Pipeline started when the drift alarm fires; null to only notify.</summary>
    public TrainingPipeline? Retraining { get; init; }
}

/// <summary>
/// Data-quality monitoring of an endpoint's captured data: a job definition (in the VPC, KMS on outputs and volumes,
/// inter-container encryption, network isolation) on a schedule, an alarm on the feature's drift metric that notifies
/// the alerts topic, and an EventBridge rule that starts the retraining pipeline when the alarm fires.
/// </summary>
public sealed class DriftMonitor : Construct
{
    /// <summary>The drift alarm.</summary>
    public CloudwatchMetricAlarm Alarm { get; }

    /// <summary>The job definition.</summary>
    public SagemakerDataQualityJobDefinition JobDefinition { get; }

    /// <summary>Creates the job definition, schedule, alarm and rule.</summary>
    public DriftMonitor(Construct scope, string id, DriftMonitorProps props) : base(scope, id)
    {
        if (!(props.Threshold > 0 && props.Threshold <= 1))
            throw new ArgumentException($"DriftMonitorProps.Threshold = {props.Threshold} for feature {props.Feature}: use a distance above 0 and at most 1.");
        var endpoint = props.Endpoint.Name;
        var image = new DataAwsSagemakerPrebuiltEcrImage(this, "analyzer-image", new DataAwsSagemakerPrebuiltEcrImageConfig
        {
            RepositoryName = "sagemaker-model-monitor-analyzer",
            Region = StackContext.Of(scope).Region,
        });
        JobDefinition = new SagemakerDataQualityJobDefinition(this, "job-definition", new SagemakerDataQualityJobDefinitionConfig
        {
            Name = $"{endpoint}-data-quality",
            RoleArn = props.Role.Arn,
            DataQualityAppSpecification = new SagemakerDataQualityJobDefinitionDataQualityAppSpecification { ImageUri = image.RegistryPath },
            DataQualityJobInput = new SagemakerDataQualityJobDefinitionDataQualityJobInput
            {
                EndpointInput = new SagemakerDataQualityJobDefinitionDataQualityJobInputEndpointInput
                {
                    EndpointName = props.Endpoint.Endpoint.Name,
                    LocalPath = "/opt/ml/processing/input/endpoint",
                },
            },
            DataQualityJobOutputConfig = new SagemakerDataQualityJobDefinitionDataQualityJobOutputConfig
            {
                KmsKeyId = props.Key.Arn,
                MonitoringOutputs = new SagemakerDataQualityJobDefinitionDataQualityJobOutputConfigMonitoringOutputs
                {
                    S3Output = new SagemakerDataQualityJobDefinitionDataQualityJobOutputConfigMonitoringOutputsS3Output
                    {
                        S3Uri = $"s3://{props.ReportsBucket.Name}/{DataLayout.Data.Monitoring}{endpoint}/",
                        LocalPath = "/opt/ml/processing/output",
                        S3UploadMode = "EndOfJob",
                    },
                },
            },
            JobResources = new SagemakerDataQualityJobDefinitionJobResources
            {
                ClusterConfig = new SagemakerDataQualityJobDefinitionJobResourcesClusterConfig
                {
                    InstanceCount = 1,
                    InstanceType = props.InstanceType,
                    VolumeSizeInGb = 20,
                    VolumeKmsKeyId = props.Key.Arn,
                },
            },
            NetworkConfig = new SagemakerDataQualityJobDefinitionNetworkConfig
            {
                EnableInterContainerTrafficEncryption = true,
                EnableNetworkIsolation = true,
                VpcConfig = new SagemakerDataQualityJobDefinitionNetworkConfigVpcConfig { Subnets = props.SubnetIds, SecurityGroupIds = [props.SecurityGroupId] },
            },
            StoppingCondition = new SagemakerDataQualityJobDefinitionStoppingCondition { MaxRuntimeInSeconds = 3600 },
            DataQualityBaselineConfig = props.BaselineS3Prefix is { } baseline
                ? new SagemakerDataQualityJobDefinitionDataQualityBaselineConfig
                {
                    ConstraintsResource = new SagemakerDataQualityJobDefinitionDataQualityBaselineConfigConstraintsResource { S3Uri = $"{baseline}constraints.json" },
                    StatisticsResource = new SagemakerDataQualityJobDefinitionDataQualityBaselineConfigStatisticsResource { S3Uri = $"{baseline}statistics.json" },
                }
                : null,
        });
        var schedule = new SagemakerMonitoringSchedule(this, "schedule", new SagemakerMonitoringScheduleConfig
        {
            Name = $"{endpoint}-data-quality",
            MonitoringScheduleConfig = new SagemakerMonitoringScheduleMonitoringScheduleConfig
            {
                MonitoringJobDefinitionName = JobDefinition.Name,
                MonitoringType = "DataQuality",
                ScheduleConfig = new SagemakerMonitoringScheduleMonitoringScheduleConfigScheduleConfig { ScheduleExpression = props.Schedule },
            },
        });
        // Model Monitor's built-in container publishes per-feature metrics for real-time endpoints in this namespace,
        // with exactly these dimensions: https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-interpreting-cloudwatch.html
        var missing = MissingData.NotBreaching("Model Monitor publishes drift metrics only when a scheduled run completes, so an hour without a run has no datapoint and no drift to report");
        Alarm = new CloudwatchMetricAlarm(this, "drift-alarm", new CloudwatchMetricAlarmConfig
        {
            AlarmName = $"{endpoint}-drift-{props.Feature}",
            AlarmDescription = missing.Describe($"Data drift of feature {props.Feature} on {endpoint} above {props.Threshold}"),
            Namespace = "/aws/sagemaker/Endpoints/data-metric",
            MetricName = $"feature_baseline_drift_{props.Feature}",
            Dimensions = new Dictionary<string, string> { ["EndpointName"] = endpoint, ["ScheduleName"] = schedule.Name },
            Statistic = "Maximum",
            Period = 3600,
            EvaluationPeriods = 1,
            Threshold = props.Threshold,
            ComparisonOperator = "GreaterThanThreshold",
            TreatMissingData = missing.Treatment,
            ActionsEnabled = true,
            AlarmActions = [props.Alerts.Arn],
            OkActions = [props.Alerts.Arn],
        });

        if (props.Retraining is { } pipeline)
        {
            RetrainOnAlarm.Wire(this, new RetrainOnAlarmProps
            {
                Alarm = Alarm,
                Pipeline = pipeline,
                RuleName = $"{endpoint}-retrain-on-drift",
                RuleDescription = $"Starts the training pipeline when {endpoint}'s drift alarm fires",
                RoleDescription = $"Starts the training pipeline on {endpoint} drift",
                RoleName = StackContext.Of(scope).Name($"{props.Endpoint.Node.Id}-retrain"),
                Ids = ("retrain-on-drift", "events-role", "retrain-target"),
            });
        }
    }
}
