namespace MlopsTf.Constructs.Glue;

/// <summary>Props for <see cref="DataPreparation"/>.</summary>
public sealed record DataPreparationProps
{
    /// <summary>Bucket holding raw and processed data.</summary>
    public required SecureBucket DataBucket { get; init; }

    /// <summary>Bucket the ETL script is uploaded to.</summary>
    public required SecureBucket ArtifactsBucket { get; init; }

    /// <summary>Local path of the PySpark ETL script (uploaded as an S3 object at apply time).</summary>
    public required string ScriptPath { get; init; }

    /// <summary>Key for S3 output, job bookmarks and the catalog.</summary>
    public required CustomerManagedKey DataKey { get; init; }

    /// <summary>Key for Glue's CloudWatch logs.</summary>
    public required CustomerManagedKey LogsKey { get; init; }

    /// <summary>Glue cron schedule of the workflow that crawls the raw prefix and then runs the job.</summary>
    public required string CrawlerSchedule { get; init; }

    /// <summary>Prefix of raw data in the data bucket. Default: <see cref="DataLayout.Data.Raw"/>.</summary>
    public string RawPrefix { get; init; } = DataLayout.Data.Raw;

    /// <summary>Prefix the job writes Parquet to. Default: <see cref="DataLayout.Data.Processed"/>.</summary>
    public string ProcessedPrefix { get; init; } = DataLayout.Data.Processed;

    /// <summary>
    /// Training channels and their share of the records; the job writes each under
    /// <c>&lt;ProcessedPrefix&gt;split=&lt;channel&gt;/</c>. Default: train 80, validation 20.
    /// </summary>
    public IReadOnlyList<ChannelSplit> Splits { get; init; } = [new("train", 80), new("validation", 20)];

    /// <summary>Column whose stable hash assigns each record to a channel (so a record stays in its channel across runs).</summary>
    public required string SplitColumn { get; init; }

    /// <summary>G.1X workers for the job. Default: 2.</summary>
    public int Workers { get; init; } = 2;
}

/// <summary>A training channel and its share of the processed records.</summary>
/// <param name="Channel">Channel name.</param>
/// <param name="Percent">Share of records, percent.</param>
public sealed record ChannelSplit(string Channel, int Percent);

/// <summary>
/// Glue data preparation: a catalog database (with catalog encryption), a security configuration used by every job
/// and crawler (SSE-KMS for S3, KMS for CloudWatch logs and job bookmarks), a crawler over the raw prefix, the
/// preprocessing ETL job whose script lives in the repository, and a workflow whose scheduled trigger runs the
/// crawler and whose conditional trigger runs the job after a successful crawl.
/// </summary>
public sealed class DataPreparation : Construct
{
    /// <summary>The catalog database.</summary>
    public GlueCatalogDatabase Database { get; }

    /// <summary>The crawler.</summary>
    public GlueCrawler Crawler { get; }

    /// <summary>The ETL job.</summary>
    public GlueJob Job { get; }

    /// <summary>The Glue role.</summary>
    public ServiceRole Role { get; }

    /// <summary>The security configuration's name.</summary>
    public string SecurityConfigurationName { get; }

    /// <summary>Where raw data is read from in the data bucket (what data validation checks before a run).</summary>
    public string RawPrefix { get; }

    /// <summary>Catalog table the crawler creates for the raw prefix.</summary>
    public string RawTableName => "raw";

    /// <summary>Where the job writes each training channel's records: channel → key prefix in the data bucket.</summary>
    public IReadOnlyDictionary<string, string> ChannelPrefixes { get; }

    private readonly StackContext _context;

    /// <summary>Running the ETL job to completion and stopping it (what a pipeline step needs).</summary>
    public IDataAwsIamPolicyDocumentStatement RunJobStatement(string sid) =>
        Policy.Allow(sid, ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"], [_context.ServiceArn("glue", $"job/{Job.Name}")]);

    /// <summary>Creates the Glue resources.</summary>
    public DataPreparation(Construct scope, string id, DataPreparationProps props) : base(scope, id)
    {
        if (!File.Exists(props.ScriptPath))
            throw new ArgumentException($"DataPreparationProps.ScriptPath = \"{props.ScriptPath}\" does not exist: point it at the ETL script under functions/.");
        if (props.Workers is < 2 or > 100)
            throw new ArgumentException($"DataPreparationProps.Workers = {props.Workers}: Glue G.1X jobs take 2 to 100 workers.");
        if (props.Splits.Count == 0 || props.Splits.Sum(x => x.Percent) != 100 || props.Splits.Any(x => x.Percent < 1)
            || props.Splits.Select(x => x.Channel).Distinct().Count() != props.Splits.Count)
            throw new ArgumentException($"DataPreparationProps.Splits = [{string.Join(", ", props.Splits.Select(x => $"{x.Channel}:{x.Percent}"))}]: name each channel once with a share of at least 1 percent, adding up to 100.");
        if (string.IsNullOrWhiteSpace(props.SplitColumn))
            throw new ArgumentException("DataPreparationProps.SplitColumn is empty: name the column whose hash assigns records to channels.");
        ChannelPrefixes = props.Splits.ToDictionary(x => x.Channel, x => $"{props.ProcessedPrefix}split={x.Channel}/");
        _context = StackContext.Of(scope);
        RawPrefix = props.RawPrefix;
        var name = _context.NamePrefix;
        var catalog = _context.ServiceArn("glue", "");

        new GlueDataCatalogEncryptionSettings(this, "catalog-encryption", new GlueDataCatalogEncryptionSettingsConfig
        {
            DataCatalogEncryptionSettings = new GlueDataCatalogEncryptionSettingsDataCatalogEncryptionSettings
            {
                EncryptionAtRest = new GlueDataCatalogEncryptionSettingsDataCatalogEncryptionSettingsEncryptionAtRest
                {
                    CatalogEncryptionMode = "SSE-KMS",
                    SseAwsKmsKeyId = props.DataKey.Arn,
                },
                ConnectionPasswordEncryption = new GlueDataCatalogEncryptionSettingsDataCatalogEncryptionSettingsConnectionPasswordEncryption
                {
                    ReturnConnectionPasswordEncrypted = true,
                    AwsKmsKeyId = props.DataKey.Arn,
                },
            },
        });
        Database = new GlueCatalogDatabase(this, "database", new GlueCatalogDatabaseConfig
        {
            Name = name.Replace('-', '_'),
            Description = $"{name} training data (raw and processed)",
        });
        SecurityConfigurationName = $"{name}-glue";
        var security = new GlueSecurityConfiguration(this, "security-configuration", new GlueSecurityConfigurationConfig
        {
            Name = SecurityConfigurationName,
            EncryptionConfiguration = new GlueSecurityConfigurationEncryptionConfiguration
            {
                S3Encryption = new GlueSecurityConfigurationEncryptionConfigurationS3Encryption { S3EncryptionMode = "SSE-KMS", KmsKeyArn = props.DataKey.Arn },
                CloudwatchEncryption = new GlueSecurityConfigurationEncryptionConfigurationCloudwatchEncryption { CloudwatchEncryptionMode = "SSE-KMS", KmsKeyArn = props.LogsKey.Arn },
                JobBookmarksEncryption = new GlueSecurityConfigurationEncryptionConfigurationJobBookmarksEncryption { JobBookmarksEncryptionMode = "CSE-KMS", KmsKeyArn = props.DataKey.Arn },
            },
        });

        Role = new ServiceRole(this, "role", new ServiceRoleProps
        {
            RoleName = $"{name}-glue",
            Service = "glue.amazonaws.com",
            Description = $"Glue crawler and jobs of {name}",
        });
        props.DataBucket.GrantRead(Role, props.RawPrefix);
        props.DataBucket.GrantReadWrite(Role, props.ProcessedPrefix);
        props.ArtifactsBucket.GrantRead(Role, DataLayout.Artifacts.Glue);
        var database = $"{catalog}database/{Database.Name}";
        Role.AddPolicy("catalog",
            Policy.Allow("CatalogTables",
                ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:CreateTable", "glue:UpdateTable",
                 "glue:GetPartition", "glue:GetPartitions", "glue:CreatePartition", "glue:BatchCreatePartition", "glue:UpdatePartition", "glue:BatchGetPartition"],
                [$"{catalog}catalog", database, $"{catalog}table/{Database.Name}/*"]),
            Policy.Allow("GlueLogs", ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"],
                [_context.ServiceArn("logs", "log-group:/aws-glue/*")]),
            CustomerManagedKey.Allow("SecurityConfigurationKeys", KeyUse.EncryptDecrypt, props.DataKey, props.LogsKey),
            // Glue publishes job metrics to CloudWatch, which has no resource-level permissions; scoped by namespace.
            Policy.Allow("JobMetrics", ["cloudwatch:PutMetricData"], ["*"], conditions: [Policy.When("StringEquals", "cloudwatch:namespace", "Glue")]));

        var scriptAsset = new TerraformAsset(this, "script-asset", new TerraformAssetConfig { Path = props.ScriptPath, Type = AssetType.FILE });
        var script = new S3Object(this, "script", new S3ObjectConfig
        {
            Bucket = props.ArtifactsBucket.Name,
            Key = $"{DataLayout.Artifacts.Glue}scripts/{Path.GetFileName(props.ScriptPath)}",
            Source = scriptAsset.Path,
            SourceHash = Fn.Filemd5(scriptAsset.Path),
            ServerSideEncryption = "aws:kms",
            KmsKeyId = props.ArtifactsBucket.EncryptionKey?.Arn,
        });

        Crawler = new GlueCrawler(this, "crawler", new GlueCrawlerConfig
        {
            Name = $"{name}-raw",
            DatabaseName = Database.Name,
            Role = Role.Arn,
            SecurityConfiguration = security.Name,
            S3Target = new IGlueCrawlerS3Target[] { new GlueCrawlerS3Target { Path = $"s3://{props.DataBucket.Name}/{props.RawPrefix}" } },
            SchemaChangePolicy = new GlueCrawlerSchemaChangePolicy { UpdateBehavior = "UPDATE_IN_DATABASE", DeleteBehavior = "DEPRECATE_IN_DATABASE" },
            RecrawlPolicy = new GlueCrawlerRecrawlPolicy { RecrawlBehavior = "CRAWL_EVERYTHING" },
        });
        Job = new GlueJob(this, "job", new GlueJobConfig
        {
            Name = $"{name}-preprocess",
            Description = "Normalizes raw CSV into partitioned Parquet for training",
            RoleArn = Role.Arn,
            GlueVersion = "4.0",
            WorkerType = "G.1X",
            NumberOfWorkers = props.Workers,
            Timeout = 60,
            // The pipeline's .sync task follows only the first run: a Glue-side retry would run on after the pipeline
            // reported the failure and hold the single concurrent run. The pipeline retries instead.
            MaxRetries = 0,
            SecurityConfiguration = security.Name,
            ExecutionProperty = new GlueJobExecutionProperty { MaxConcurrentRuns = 1 },
            Command = new GlueJobCommand
            {
                Name = "glueetl",
                PythonVersion = "3",
                ScriptLocation = $"s3://{props.ArtifactsBucket.Name}/{script.Key}",
            },
            DefaultArguments = JsonExpression.Map(new Dictionary<string, string>
            {
                ["--job-bookmark-option"] = "job-bookmark-enable",
                ["--enable-metrics"] = "true",
                ["--enable-continuous-cloudwatch-log"] = "true",
                ["--DATABASE"] = Database.Name,
                ["--TABLE"] = RawTableName,
                ["--OUTPUT_PATH"] = $"s3://{props.DataBucket.Name}/{props.ProcessedPrefix}",
                ["--SPLITS"] = string.Join(",", props.Splits.Select(x => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{x.Channel}:{x.Percent}"))),
                ["--SPLIT_COLUMN"] = props.SplitColumn,
            }),
        });

        var workflow = new GlueWorkflow(this, "workflow", new GlueWorkflowConfig
        {
            Name = $"{name}-data-preparation",
            Description = "Crawl the raw prefix, then preprocess it",
            MaxConcurrentRuns = 1,
        });
        new GlueTrigger(this, "crawl-on-schedule", new GlueTriggerConfig
        {
            Name = $"{name}-crawl-raw",
            Type = "SCHEDULED",
            Schedule = props.CrawlerSchedule,
            WorkflowName = workflow.Name,
            Actions = new IGlueTriggerActions[] { new GlueTriggerActions { CrawlerName = Crawler.Name } },
        });
        new GlueTrigger(this, "preprocess-after-crawl", new GlueTriggerConfig
        {
            Name = $"{name}-preprocess-after-crawl",
            Type = "CONDITIONAL",
            WorkflowName = workflow.Name,
            Predicate = new GlueTriggerPredicate
            {
                Conditions = new IGlueTriggerPredicateConditions[]
                {
                    new GlueTriggerPredicateConditions { CrawlerName = Crawler.Name, CrawlState = "SUCCEEDED" },
                },
            },
            Actions = new IGlueTriggerActions[] { new GlueTriggerActions { JobName = Job.Name } },
        });
    }
}
