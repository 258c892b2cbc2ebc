namespace MlopsTf.Environments;

/// <summary>
/// One environment's platform: provider locked to the environment's account, the S3 state backend with DynamoDB and
/// S3-native locking, and the platform constructs composed in dependency order
/// (keys → network → storage → IAM → ECR → SageMaker → Glue → Lambda → alerts → Step Functions → monitoring).
/// Construct ids are part of the contract: renaming one replaces real resources.
/// </summary>
public sealed partial class MlopsStack : TerraformStack
{
    /// <summary>The environment this stack deploys.</summary>
    public EnvironmentConfig Config { get; }

    /// <summary>The network.</summary>
    public Network Network { get; }

    /// <summary>The data, models, artifacts and access-log buckets.</summary>
    public (SecureBucket Data, SecureBucket Models, SecureBucket Artifacts, SecureBucket AccessLogs) Buckets { get; }

    /// <summary>The Studio domain.</summary>
    public StudioDomain Domain { get; }

    /// <summary>The training pipeline.</summary>
    public TrainingPipeline Pipeline { get; }

    /// <summary>Creates the stack named after the environment, so that <c>cdktf deploy dev</c> deploys dev.</summary>
    /// <param name="scope">The app.</param>
    /// <param name="config">The environment.</param>
    /// <param name="registryReaderAccounts">Accounts that may read this environment's model registry and copy its models.</param>
    /// <param name="promotionSource">The registry environment this one copies models from; null for the registry itself.</param>
    public MlopsStack(Construct scope, EnvironmentConfig config, IReadOnlyList<string> registryReaderAccounts, PromotionSource? promotionSource = null)
        : base(scope, config.Name)
    {
        Config = config;
        var context = Platform.ContextOf(config, config.Region);
        context.ApplyTo(this);
        StackDefaults.AwsProvider(this, config, config.Region, "platform");
        StackDefaults.PinAwsProvider(this);
        StackDefaults.StateBackend(this, config, config.StateBackend.KeyFor(config.Name));

        var prefix = context.NamePrefix;
        var account = context.AccountId;
        var region = context.Region;
        var ml = config.Ml;

        // Keys
        var readers = registryReaderAccounts.Where(a => a != account).Distinct().ToList();
        var readerRoots = readers.Select(a => Arn.AccountRoot(region, a)).ToArray();
        var modelsBucketName = BucketName(config, "models");
        var dataKey = Key("data-key", $"{prefix}-data", "Training data, feature store, Glue, queues and function settings");
        var modelsKey = Key("models-key", $"{prefix}-models", "Model artifacts, pipeline artifacts, images and training volumes",
            readers.Count == 0 ? [] :
            [
                // Deploying accounts copy registered archives: decrypt only, only through S3, only this bucket's objects.
                Policy.Allow("DecryptRegisteredArtifactsForDeployAccounts", KeyActions.For(KeyUse.DecryptData), ["*"], Policy.Principal("AWS", readerRoots),
                    [Policy.When("StringEquals", "kms:ViaService", $"s3.{region}.amazonaws.com"),
                     Policy.When("StringEquals", "kms:EncryptionContext:aws:s3:arn", context.BucketArn(modelsBucketName))]),
            ]);
        var logsKey = Key("logs-key", $"{prefix}-logs", "CloudWatch logs and the alerts topic", [],
            new KeyServiceGrant("CloudWatchLogs", $"logs.{region}.amazonaws.com",
                Policy.When("ArnLike", "kms:EncryptionContext:aws:logs:arn", context.ServiceArn("logs", "log-group:*"))),
            new KeyServiceGrant("CloudWatchAlarms", "cloudwatch.amazonaws.com", null),
            new KeyServiceGrant("EventBridge", "events.amazonaws.com", null),
            new KeyServiceGrant("Budgets", "budgets.amazonaws.com", null));

        // Network
        Network = new Network(this, "network", new NetworkProps
        {
            Cidr = config.VpcCidr,
            AvailabilityZones = config.AvailabilityZones,
            NatLayout = config.NatStrategy == NatStrategy.PerAz ? NatLayout.PerAz : NatLayout.Single,
            LogsKey = logsKey,
            FlowLogRetentionDays = config.LogRetentionDays,
        });

        // Storage
        var accessLogs = new SecureBucket(this, "access-logs-bucket", new SecureBucketProps
        {
            BucketName = $"{prefix}-access-logs-{account}",
            UseS3ManagedEncryptionForLogDelivery = true,
            ReceivesAccessLogs = true,
            AllowForceDestroy = config.AllowForceDestroy,
            ExpireObjectsAfterDays = Math.Max(config.LogRetentionDays, 90),
        });
        SecureBucket Bucket(string id, string purpose, CustomerManagedKey key, int? tieringDays = null,
            IReadOnlyList<HashiCorp.Cdktf.Providers.Aws.DataAwsIamPolicyDocument.IDataAwsIamPolicyDocumentStatement>? statements = null) => new(this, id, new SecureBucketProps
        {
            BucketName = BucketName(config, purpose),
            EncryptionKey = key,
            AccessLogBucket = accessLogs,
            AllowForceDestroy = config.AllowForceDestroy,
            PreventDestroy = config.DeletionProtection,
            IntelligentTieringAfterDays = tieringDays,
            AdditionalPolicyStatements = statements ?? [],
        });
        var data = Bucket("data-bucket", "data", dataKey, tieringDays: 30);
        var models = Bucket("models-bucket", "models", modelsKey, statements: readers.Count == 0 ? null :
        [
            Policy.Allow("ReadRegisteredArtifactsFromDeployAccounts", ["s3:GetObject", "s3:GetObjectVersion"],
                [$"{context.BucketArn(modelsBucketName)}/{DataLayout.Models.TrainingOutput}*"], Policy.Principal("AWS", readerRoots)),
        ]);
        var artifacts = Bucket("artifacts-bucket", "artifacts", modelsKey);
        Buckets = (data, models, artifacts, accessLogs);

        // IAM
        var vpcGuard = new SageMakerVpcGuard(this, "sagemaker-vpc-guard", new SageMakerVpcGuardProps
        {
            PolicyName = $"{prefix}-sagemaker-vpc-only",
            AllowedSubnetIds = Network.PrivateSubnetIds,
        });
        var registry = new ModelRegistry(this, "model-registry", new ModelRegistryProps
        {
            Families = ml.ModelFamilies,
            ReaderAccountIds = readers,
        });
        var featureStore = new FeatureStore(this, "feature-store", new FeatureStoreProps
        {
            OfflineBucket = data,
            EncryptionKey = dataKey,
            Groups = [.. ml.FeatureGroups.Select(g => new FeatureGroupSpec(g.Name, g.RecordIdentifier, g.EventTime,
                [.. g.Features.Select(f => (f.Name, f.Type.ToString()))], g.OnlineStore))],
        });
        var sagemakerRole = new SageMakerExecutionRole(this, "sagemaker-execution-role", new SageMakerExecutionRoleProps
        {
            VpcGuard = vpcGuard, Registry = registry, FeatureStore = featureStore,
            DataBucket = data, ModelsBucket = models, ArtifactsBucket = artifacts, DataKey = dataKey, ModelsKey = modelsKey,
            WritesCheckpoints = ml.Pipeline.TrainingSpotMaxWaitSeconds is not null,
        });

        // ECR
        ContainerRepository Repository(string id, string purpose) => new(this, id, new ContainerRepositoryProps
        {
            RepositoryName = RepositoryName(config, purpose),
            EncryptionKey = modelsKey,
            KeepTaggedImages = ml.Ecr.KeepTaggedImages,
            UntaggedExpiryDays = ml.Ecr.UntaggedExpiryDays,
            AllowForceDelete = config.AllowForceDestroy,
        });
        var trainingImages = Repository("training-repository", "training");
        var inferenceImages = Repository("inference-repository", "inference");
        trainingImages.GrantPull(sagemakerRole);
        inferenceImages.GrantPull(sagemakerRole);
        // The batch transform runs with the model's role: it reads its input (the role reads the data bucket) and writes here.
        if (ml.Pipeline.BatchTransform is not null) data.GrantReadWrite(sagemakerRole, DataLayout.Data.BatchTransformOutput);
        if (readers.Count > 0) inferenceImages.GrantPullToAccounts(readers);

        // SageMaker
        Domain = new StudioDomain(this, "studio", new StudioDomainProps
        {
            DomainName = $"{prefix}-studio",
            VpcId = Network.Vpc.Id,
            SubnetIds = Network.PrivateSubnetIds,
            SecurityGroupId = Network.SageMakerSecurityGroup.Id,
            ExecutionRole = sagemakerRole,
            EncryptionKey = dataKey,
            RetainHomeFileSystem = config.DeletionProtection,
            Users = ml.StudioUsers,
        });

        // Glue
        var preparation = new DataPreparation(this, "data-preparation", new DataPreparationProps
        {
            DataBucket = data,
            ArtifactsBucket = artifacts,
            ScriptPath = SourcePaths.Function(Path.Combine("glue_preprocess", "preprocess.py")),
            DataKey = dataKey,
            LogsKey = logsKey,
            CrawlerSchedule = ml.Pipeline.CrawlerSchedule,
            Splits = [.. ml.Pipeline.Channels.Select(c => new ChannelSplit(c.Channel, c.Percent))],
            SplitColumn = ml.Pipeline.SplitColumn ?? ml.Pipeline.RequiredColumns[0],
        });

        // Lambda
        PythonFunction Function(string id, string folder, string handler, string description, IReadOnlyDictionary<string, string> environment) =>
            new(this, id, new PythonFunctionProps
            {
                FunctionName = $"{prefix}-{id}",
                Description = description,
                SourceDirectory = SourcePaths.Function(folder),
                Handler = handler,
                SubnetIds = Network.PrivateSubnetIds,
                SecurityGroupIds = [Network.LambdaSecurityGroup.Id],
                DataKey = dataKey,
                LogsKey = logsKey,
                LogRetentionDays = config.LogRetentionDays,
                ReservedConcurrency = 2,
                TimeoutSeconds = 300,
                MemoryMb = 512,
                Environment = environment,
            });
        var validate = Function("data-validation", "data_validation", "data_validation.handler", "Validates raw training data before a pipeline run",
            new Dictionary<string, string>
            {
                ["DATA_BUCKET"] = data.Name,
                ["RAW_PREFIX"] = preparation.RawPrefix,
                ["REQUIRED_COLUMNS"] = string.Join(",", ml.Pipeline.RequiredColumns),
                ["MIN_ROWS"] = ml.Pipeline.MinimumRows.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["REPORT_PREFIX"] = DataLayout.Data.ValidationReports,
            });
        data.GrantRead(validate.Role, preparation.RawPrefix);
        data.GrantReadWrite(validate.Role, DataLayout.Data.ValidationReports);
        var evaluate = Function("model-evaluation", "model_evaluation", "model_evaluation.handler", "Reads a training job's evaluation metric",
            new Dictionary<string, string>
            {
                ["METRIC_NAME"] = ml.Pipeline.EvaluationMetric,
                ["METRIC_GOAL"] = ml.Pipeline.MetricGoal == MetricGoal.Maximize ? "maximize" : "minimize",
                ["THRESHOLD"] = ml.Pipeline.EvaluationThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });

        // Alerts and pipeline
        var alerts = new AlertsTopic(this, "alerts", new AlertsTopicProps
        {
            TopicName = $"{prefix}-alerts",
            EncryptionKey = logsKey,
            EmailSubscribers = config.AlertEmails,
        });
        var family = ml.Pipeline.ModelFamily ?? ml.ModelFamilies[0];
        Pipeline = new TrainingPipeline(this, "training-pipeline", new TrainingPipelineProps
        {
            Validate = validate,
            Preprocess = preparation,
            Evaluate = evaluate,
            DataBucket = data,
            ModelsBucket = models,
            Training = new TrainingJobSpec
            {
                Repository = trainingImages,
                ImageTag = ml.Pipeline.TrainingImageTag,
                InstanceType = ml.Pipeline.TrainingInstanceType,
                InstanceCount = ml.Pipeline.TrainingInstanceCount,
                VolumeSizeGb = ml.Pipeline.TrainingVolumeSizeGb,
                MaxRuntimeSeconds = ml.Pipeline.TrainingMaxRuntimeSeconds,
                SpotMaxWaitSeconds = ml.Pipeline.TrainingSpotMaxWaitSeconds,
                HyperParameters = ml.Pipeline.TrainingHyperParameters,
                ExecutionRole = sagemakerRole,
                SubnetIds = Network.PrivateSubnetIds,
                SecurityGroupId = Network.SageMakerSecurityGroup.Id,
                Key = modelsKey,
                Metrics = [.. ml.Pipeline.MetricDefinitions.Select(d => new TrainingMetric(d.Name, d.Regex))],
            },
            EvaluationMetric = ml.Pipeline.EvaluationMetric,
            InferenceRepository = inferenceImages,
            InferenceImageTag = ml.Pipeline.InferenceImageTag ?? ml.Pipeline.TrainingImageTag,
            MaximizeMetric = ml.Pipeline.MetricGoal == MetricGoal.Maximize,
            Threshold = ml.Pipeline.EvaluationThreshold,
            PackageGroup = registry.Groups[family],
            BatchTransform = ml.Pipeline.BatchTransform,
            Alerts = alerts,
            LogsKey = logsKey,
            LogRetentionDays = config.LogRetentionDays,
            Schedule = ml.Pipeline.RetrainingSchedule,
            ScheduleTimezone = ml.Pipeline.ScheduleTimezone,
            VpcGuard = vpcGuard,
        });

        // Deployment
        var servingFunctions = AddServing(new ServingContext(Network, data, models, dataKey, modelsKey, logsKey, sagemakerRole,
            inferenceImages, alerts, Pipeline, accessLogs));

        if (promotionSource is { } source && config.Serving.Models.Count > 0)
        {
            new ModelPromotionAccess(this, "model-promotion", new ModelPromotionAccessProps
            {
                RoleName = $"{prefix}-model-promotion",
                AssumedByRoleArn = context.IamArn($"role/{Platform.CiRoleName(context, "apply")}"),
                Source = source,
                TargetBucket = models,
                TargetPrefixes = [.. config.Serving.Models.Select(m => $"{m.Name}/")],
                TargetRepository = inferenceImages,
            });
        }

        // Monitoring
        if (Endpoints.Count > 0)
            new EndpointDashboard(this, "endpoint-dashboard", new EndpointDashboardProps { Endpoints = [.. Endpoints.Values] });
        new PlatformMonitoring(this, "monitoring", new PlatformMonitoringProps
        {
            Alerts = alerts,
            Pipeline = Pipeline,
            Functions = [validate, evaluate, .. servingFunctions],
            GlueJobs = [preparation],
            DeadLetterQueueThreshold = config.Alarms.DeadLetterQueueDepth,
            MonthlyBudgetUsd = config.Alarms.MonthlyBudgetUsd,
            BudgetAlertPercents = ml.BudgetAlertPercents,
        });

        var parameters = new PlatformParameters(this, "parameters", new PlatformParametersProps { Path = ParameterPath(config) });
        Parameters = parameters;
        void Publish(string name, string value, string description)
        {
            Output(name, value, description);
            parameters.Add(name, value, description);
        }
        void PublishMap(string name, Dictionary<string, string> values, string description)
        {
            Output(name, values, description);
            parameters.AddEach(name, values, description);
        }
        Publish("vpc_id", Network.Vpc.Id, "ID of the platform VPC");
        Output("private_subnet_ids", Network.PrivateSubnetIds, "Private subnets (one per AZ) where SageMaker and Lambda run");
        parameters.AddList("private_subnet_ids", Network.PrivateSubnetIds, "Private subnets (one per AZ) where SageMaker and Lambda run");
        Publish("sagemaker_domain_id", Domain.DomainId, "SageMaker Studio domain ID");
        Publish("data_bucket_name", data.Name, "Bucket for raw and processed training data and the offline feature store");
        Publish("model_bucket_name", models.Name, "Bucket for model artifacts");
        Publish("artifacts_bucket_name", artifacts.Name, "Bucket for pipeline artifacts and Glue scripts");
        PublishMap("ecr_repository_urls", new Dictionary<string, string> { ["training"] = trainingImages.Url, ["inference"] = inferenceImages.Url },
            "ECR repository URLs for training and inference images");
        Publish("state_machine_arn", Pipeline.Arn, "ARN of the training pipeline state machine");
        Publish("alerts_topic_arn", alerts.Arn, "SNS topic that receives the platform's alarms");
        PublishMap("model_package_group_names", registry.Groups.ToDictionary(g => g.Key, g => g.Value.Name),
            "Model registry package groups by model family");
        PublishMap("feature_group_names", featureStore.Groups.ToDictionary(g => g.Key, g => g.Value.FeatureGroupName), "Feature groups by name");
        if (Endpoints.Count > 0)
            PublishMap("endpoint_names", Endpoints.ToDictionary(e => e.Key, e => e.Value.Name), "SageMaker endpoints by configured name");
        var asyncEndpoints = Endpoints.Where(e => e.Value.AsyncInputUri is not null).ToDictionary(e => e.Key, e => e.Value.AsyncInputUri!);
        if (asyncEndpoints.Count > 0)
            PublishMap("async_input_uris", asyncEndpoints, "Where callers upload asynchronous requests (results under ../output/, failures under ../failures/), by endpoint");
        if (ModelQualityMonitors.Count > 0)
            PublishMap("ground_truth_uris", ModelQualityMonitors.ToDictionary(m => m.Key, m => m.Value.GroundTruthUri),
                "Where each monitored endpoint's ground truth goes (yyyy/mm/dd/hh/*.jsonl below it), by endpoint");
        if (Api is { } api)
            Publish("predict_url", api.PredictUrl, "URL of the public inference API's POST /predict route");
        if (Frontend is { } site)
        {
            Publish("site_url", site.Url, "URL of the upload page (CloudFront)");
            Publish("site_distribution_domain", site.Distribution.DomainName, "CloudFront domain name to point the site's DNS record at");
        }
    }

    /// <summary>The platform's SSM parameters (<c>/mlopstf/&lt;env&gt;/…</c>), one per output.</summary>
    public PlatformParameters Parameters { get; private set; } = null!;

    /// <summary>The SSM path an environment publishes its outputs under: <c>/mlopstf/&lt;env&gt;</c>.</summary>
    public static string ParameterPath(EnvironmentConfig config) => $"/{Platform.Project}/{config.Name}";

    /// <summary>Name of an environment's bucket for <paramref name="purpose"/> (<c>data</c>, <c>models</c>, ...).</summary>
    public static string BucketName(EnvironmentConfig config, string purpose) => $"{Platform.Project}-{config.Name}-{purpose}-{config.AccountId}";

    /// <summary>Name of an environment's image repository for <paramref name="purpose"/> (<c>training</c>, <c>inference</c>).</summary>
    public static string RepositoryName(EnvironmentConfig config, string purpose) => $"{Platform.Project}-{config.Name}/{purpose}";

    /// <summary>What an environment shares with the accounts that deploy its registered models.</summary>
    public static PromotionSource PromotionSourceOf(EnvironmentConfig registry) =>
        new(Platform.ContextOf(registry, registry.Region), BucketName(registry, "models"), DataLayout.Models.TrainingOutput,
            RepositoryName(registry, "inference"));

    private CustomerManagedKey Key(string id, string alias, string description,
        HashiCorp.Cdktf.Providers.Aws.DataAwsIamPolicyDocument.IDataAwsIamPolicyDocumentStatement[]? statements = null, params KeyServiceGrant[] grants) =>
        new(this, id, new CustomerManagedKeyProps
        {
            Alias = alias,
            Description = description,
            ServiceGrants = grants,
            AdditionalStatements = statements ?? [],
        });

    private void Output(string name, object value, string description) =>
        new TerraformOutput(this, name, new TerraformOutputConfig { Value = value, Description = description });
}
