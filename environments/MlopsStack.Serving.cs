namespace MlopsTf.Environments;

/// <summary>What the model-deployment part of the stack takes from the platform.</summary>
internal sealed record ServingContext(
    Network Network, SecureBucket Data, SecureBucket Models, CustomerManagedKey DataKey, CustomerManagedKey ModelsKey,
    CustomerManagedKey LogsKey, ServiceRole SageMakerRole, ContainerRepository InferenceImages, AlertsTopic Alerts, TrainingPipeline Pipeline,
    SecureBucket AccessLogs);

public sealed partial class MlopsStack
{
    /// <summary>Endpoints by configured name.</summary>
    public IReadOnlyDictionary<string, ModelEndpoint> Endpoints { get; private set; } = new Dictionary<string, ModelEndpoint>();

    /// <summary>Model quality monitors by endpoint name.</summary>
    public IReadOnlyDictionary<string, ModelQualityMonitor> ModelQualityMonitors { get; private set; } = new Dictionary<string, ModelQualityMonitor>();

    /// <summary>The upload page, if the environment has one.</summary>
    public StaticSite? Frontend { get; private set; }

    /// <summary>The public inference API, if the environment has one.</summary>
    public InferenceApi? Api { get; private set; }

    /// <summary>
    /// Models, endpoints (with rollout, autoscaling, alarms, drift monitoring), the public inference API and the
    /// nightly cleanup, from <see cref="EnvironmentConfig.Serving"/>. Returns the functions it adds.
    /// </summary>
    private List<PythonFunction> AddServing(ServingContext c)
    {
        var serving = Config.Serving;
        var functions = new List<PythonFunction>();
        if (serving.Models.Count == 0 && serving.Endpoints.Count == 0) return functions;

        c.Data.GrantReadWrite(c.SageMakerRole, DataLayout.Data.Capture);
        c.Data.GrantReadWrite(c.SageMakerRole, DataLayout.Data.Monitoring);
        // A model serving both kinds of endpoint gets two sets of SageMaker models: serverless ones take no VPC.
        bool Serverless(EndpointSpec e) => (e.Mode ?? serving.DefaultMode) == EndpointMode.Serverless;
        var models = new Dictionary<(string Model, bool Serverless), DeployableModel>();
        foreach (var m in serving.Models)
        {
            var kinds = serving.Endpoints.Where(e => e.Model == m.Name).Select(Serverless).Distinct().Order().ToList();
            foreach (var forServerless in kinds.Count == 0 ? [false] : kinds)
            {
                var id = forServerless && kinds.Count > 1 ? $"model-{m.Name}-serverless" : $"model-{m.Name}";
                models[(m.Name, forServerless)] = new DeployableModel(this, id, new DeployableModelProps
                {
                    ModelName = m.Name,
                    Versions = [.. m.Versions.Select(v => new DeployableVersion(v.Version, v.ImageTag, v.ModelDataKey))],
                    Repository = c.InferenceImages,
                    ModelsBucket = c.Models,
                    ExecutionRole = c.SageMakerRole,
                    SubnetIds = c.Network.PrivateSubnetIds,
                    SecurityGroupId = c.Network.SageMakerSecurityGroup.Id,
                    NetworkIsolationWaiver = m.NetworkIsolationWaiver,
                    ForServerless = forServerless,
                });
            }
        }

        var endpoints = new Dictionary<string, ModelEndpoint>();
        foreach (var e in serving.Endpoints)
        {
            var mode = e.Mode ?? serving.DefaultMode;
            var serverless = mode == EndpointMode.Serverless;
            var isAsync = mode == EndpointMode.Async;
            var model = models[(e.Model, serverless)];
            var cleanup = serving.NightlyCleanup is not null && e.NightlyCleanup;
            var endpoint = new ModelEndpoint(this, $"endpoint-{e.Name}", new ModelEndpointProps
            {
                EndpointName = e.Name,
                Releases = Releases(e, serving.Models.Single(m => m.Name == e.Model), model, serverless),
                ActiveRelease = e.Variants.Count > 1 ? EndpointRelease.Weighted : e.ActiveVersion,
                Mode = mode,
                Serverless = e.Serverless,
                Rollout = mode == EndpointMode.RealTime && e.Variants.Count == 1 ? e.Rollout : null,
                Autoscaling = mode == EndpointMode.RealTime ? e.Autoscaling : null,
                Async = e.Async,
                AsyncBucket = isAsync ? c.Data : null,
                VolumeKey = c.ModelsKey,
                CaptureBucket = mode == EndpointMode.RealTime ? c.Data : null,
                DataCapture = e.DataCapture ?? new(),
                LatencyP95Ms = Config.Alarms.ModelLatencyP95Ms,
                ErrorRatePercent = Config.Alarms.ErrorRatePercent,
                TrafficExpected = e.TrafficExpected,
                Alerts = c.Alerts,
                Tags = cleanup ? new Dictionary<string, string> { [EndpointCleanup.TagKey] = "true" } : new Dictionary<string, string>(),
            });
            endpoints[e.Name] = endpoint;
            if (isAsync)
            {
                // SageMaker reads the request from input/ and writes output/ and failures/ with the model's role.
                c.Data.GrantReadWrite(c.SageMakerRole, $"{DataLayout.Data.AsyncInference}{e.Name}/");
                endpoint.AsyncNotifications!.GrantPublish(c.SageMakerRole);
            }
            if (e.DriftMonitor is { } drift)
            {
                new DriftMonitor(this, $"drift-{e.Name}", new DriftMonitorProps
                {
                    Endpoint = endpoint,
                    ReportsBucket = c.Data,
                    Key = c.DataKey,
                    Role = c.SageMakerRole,
                    SubnetIds = c.Network.PrivateSubnetIds,
                    SecurityGroupId = c.Network.SageMakerSecurityGroup.Id,
                    InstanceType = drift.InstanceType,
                    Schedule = drift.Schedule,
                    Feature = drift.Feature,
                    Threshold = drift.Threshold,
                    Alerts = c.Alerts,
                    Retraining = drift.StartsRetraining ? c.Pipeline : null,
                    BaselineS3Prefix = drift.BaselinePrefix is { } baseline ? $"s3://{c.Models.Name}/{baseline}" : null,
                });
            }
        }
        Endpoints = endpoints;
        ModelQualityMonitors = serving.Endpoints.Where(e => e.ModelQuality is not null).ToDictionary(e => e.Name, e => new ModelQualityMonitor(this, $"model-quality-{e.Name}", new ModelQualityMonitorProps
        {
            Endpoint = endpoints[e.Name],
            DataBucket = c.Data,
            Key = c.DataKey,
            Role = c.SageMakerRole,
            SubnetIds = c.Network.PrivateSubnetIds,
            SecurityGroupId = c.Network.SageMakerSecurityGroup.Id,
            Settings = e.ModelQuality!,
            Alerts = c.Alerts,
            Retraining = c.Pipeline,
        }));

        if (serving.PublicApi is { } api)
        {
            var inference = new InferenceApi(this, "inference-api", new InferenceApiProps
            {
                Endpoint = endpoints[api.Endpoint],
                ProxySourceDirectory = SourcePaths.Function("inference_proxy"),
                SubnetIds = c.Network.PrivateSubnetIds,
                SecurityGroupId = c.Network.LambdaSecurityGroup.Id,
                DataKey = c.DataKey,
                LogsKey = c.LogsKey,
                LogRetentionDays = Config.LogRetentionDays,
                CorsOrigins = api.CorsOrigins,
                RateLimitPerSecond = api.RateLimitPerSecond,
                BurstLimit = api.BurstLimit,
                MaxBodyBytes = api.MaxBodyBytes,
                Authorization = api.Authorization,
                Alerts = c.Alerts,
                LatencyP95Ms = api.LatencyP95Ms,
                ErrorRatePercent = Config.Alarms.ErrorRatePercent,
            });
            functions.Add(inference.Proxy);
            Api = inference;
            if (serving.Frontend is { } site)
            {
                Frontend = new StaticSite(this, "frontend", new StaticSiteProps
                {
                    SiteName = $"{Platform.Project}-{Config.Name}-frontend",
                    BucketName = BucketName(Config, "frontend"),
                    DomainName = site.DomainName,
                    CertificateArn = site.CertificateArn,
                    WebAclArn = site.WebAclArn,
                    SourceDirectory = SourcePaths.Frontend,
                    Configuration = new Dictionary<string, string> { ["apiUrl"] = inference.PredictUrl },
                    ConnectOrigins = [inference.PredictUrl],
                    AccessLogBucket = c.AccessLogs,
                    LogsKey = c.LogsKey,
                    LogRetentionDays = Config.LogRetentionDays,
                    AllowForceDestroy = Config.AllowForceDestroy,
                });
            }
        }
        if (serving.NightlyCleanup is { } nightly)
        {
            var cleanup = new EndpointCleanup(this, "endpoint-cleanup", new EndpointCleanupProps
            {
                Environment = Config.Name,
                SourceDirectory = SourcePaths.Function("endpoint_cleanup"),
                Schedule = nightly.Schedule,
                Timezone = nightly.Timezone,
                SubnetIds = c.Network.PrivateSubnetIds,
                SecurityGroupId = c.Network.LambdaSecurityGroup.Id,
                DataKey = c.DataKey,
                LogsKey = c.LogsKey,
                LogRetentionDays = Config.LogRetentionDays,
            });
            functions.Add(cleanup.Function);
        }
        return functions;
    }

    /// <summary>
    /// One release per retained version for single-variant and serverless endpoints (rollback is a swap); weighted
    /// endpoints have one release holding every variant at its weight.
    /// </summary>
    private static List<EndpointRelease> Releases(EndpointSpec e, ServedModel spec, DeployableModel model, bool serverless)
    {
        EndpointVariant Variant(VariantSettings settings, string version)
        {
            var v = spec.Versions.Single(x => x.Version == version);
            return new(settings, model.Versions[version], version, $"{v.ImageTag}|{v.ModelDataKey}");
        }
        if (serverless || e.Variants.Count == 1)
        {
            var settings = serverless ? VariantSettings.Serverless : e.Variants[0];
            return [.. model.Versions.Keys.Select(version => new EndpointRelease(version, [Variant(settings, version)]))];
        }
        return [new EndpointRelease(EndpointRelease.Weighted, [.. e.Variants.Select(v => Variant(v, v.Version ?? e.ActiveVersion))])];
    }
}
