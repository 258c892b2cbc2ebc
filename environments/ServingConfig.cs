// The environments (Dev, Staging, Prod) spell their serving settings with the endpoint constructs' own types.

namespace MlopsTf.Environments;

/// <summary>The models an environment serves and how.</summary>
public sealed record ServingConfig
{
    /// <summary>Mode of endpoints that do not choose one. Default: real-time (dev sets serverless).</summary>
    public EndpointMode DefaultMode { get; init; } = EndpointMode.RealTime;

    /// <summary>How many model versions (and so endpoint configurations) may stay defined per model. Default: 3.</summary>
    public int RetainedVersions { get; init; } = 3;

    /// <summary>Real-time variants need at least this many instances (2 in prod: one AZ may fail). Default: 1.</summary>
    public int MinimumInstancesPerVariant { get; init; } = 1;

    /// <summary>Models with their retained versions. Default: none.</summary>
    public IReadOnlyList<ServedModel> Models { get; init; } = [];

    /// <summary>Endpoints. Default: none.</summary>
    public IReadOnlyList<EndpointSpec> Endpoints { get; init; } = [];

    /// <summary>The public inference API; null keeps it off (the default).</summary>
    public InferenceApiSpec? PublicApi { get; init; }

    /// <summary>The upload page on S3 + CloudFront in front of the public API; null keeps it off (the default).</summary>
    public FrontendSpec? Frontend { get; init; }

    /// <summary>The nightly endpoint cleanup; null keeps it off (dev turns it on).</summary>
    public EndpointCleanupSpec? NightlyCleanup { get; init; }
}

/// <summary>A model and the versions that stay deployable (rollback needs no rebuild).</summary>
public sealed record ServedModel
{
    /// <summary>Model name.</summary>
    public required string Name { get; init; }

    /// <summary>Retained versions, oldest first; each becomes a SageMaker model and endpoint configuration.</summary>
    public required IReadOnlyList<ModelVersion> Versions { get; init; }

    /// <summary>Why this model must reach the network; null keeps network isolation on (the default).</summary>
    public string? NetworkIsolationWaiver { get; init; }
}

/// <summary>One deployable version of a model.</summary>
/// <param name="Version">Version label, e.g. <c>1.4.0</c>.</param>
/// <param name="ImageTag">Immutable tag of the inference image in the platform's inference repository.</param>
/// <param name="ModelDataKey">Key of <c>model.tar.gz</c> in the models bucket.</param>
public sealed record ModelVersion(string Version, string ImageTag, string ModelDataKey);

/// <summary>An endpoint.</summary>
public sealed record EndpointSpec
{
    /// <summary>Endpoint name (without the platform prefix).</summary>
    public required string Name { get; init; }

    /// <summary>The served model.</summary>
    public required string Model { get; init; }

    /// <summary>
    /// The version serving now. Rollback is pointing this back at a retained version
    /// (<c>docs/runbooks/rollback.md</c>).
    /// </summary>
    public required string ActiveVersion { get; init; }

    /// <summary>Mode; null takes <see cref="ServingConfig.DefaultMode"/>.</summary>
    public EndpointMode? Mode { get; init; }

    /// <summary>
    /// Real-time production variants. One variant serves <see cref="ActiveVersion"/> (its Version left null) and
    /// rolls out by <see cref="Rollout"/>; two or more serve at their weights for a manual canary.
    /// </summary>
    public IReadOnlyList<VariantSettings> Variants { get; init; } = [];

    /// <summary>Serverless settings (serverless mode only). Default: 2048 MB, concurrency 5.</summary>
    public ServerlessSettings Serverless { get; init; } = new();

    /// <summary>Asynchronous inference settings (async mode only). Default: 4 per instance, up to 2 instances, scales to zero.</summary>
    public AsyncSettings Async { get; init; } = new();

    /// <summary>Blue/green rollout of single-variant real-time endpoints. Default: 10 % canary for 5 minutes.</summary>
    public RolloutSettings Rollout { get; init; } = new();

    /// <summary>Autoscaling of real-time variants; null keeps the instance count fixed.</summary>
    public AutoscalingSettings? Autoscaling { get; init; }

    /// <summary>Data capture; null captures 20 % on real-time endpoints and nothing on serverless ones.</summary>
    public DataCaptureSettings? DataCapture { get; init; }

    /// <summary>
    /// Alarm when the endpoint receives no invocations for 15 minutes: only for endpoints whose requests arrive around
    /// the clock (a quiet endpoint would sit in ALARM). Default: false.
    /// </summary>
    public bool TrafficExpected { get; init; }

    /// <summary>Drift monitoring on captured data; null turns it off.</summary>
    public DriftMonitorSpec? DriftMonitor { get; init; }

    /// <summary>
    /// Model quality monitoring against the ground truth written under <c>ground-truth/&lt;endpoint&gt;/</c>; its alarm
    /// starts retraining. Null turns it off.
    /// </summary>
    public ModelQualitySettings? ModelQuality { get; init; }

    /// <summary>Lets the nightly cleanup delete this endpoint (dev). Default: true.</summary>
    public bool NightlyCleanup { get; init; } = true;
}

/// <summary>Drift monitoring settings.</summary>
public sealed record DriftMonitorSpec
{
    /// <summary>Schedule of the data-quality job. Default: hourly.</summary>
    public string Schedule { get; init; } = "cron(0 * ? * * *)";

    /// <summary>Instance type of the monitoring job; must be in the allow-list.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Feature whose <c>feature_baseline_drift_&lt;feature&gt;</c> metric is alarmed on.</summary>
    public required string Feature { get; init; }

    /// <summary>Drift distance at which the alarm fires, above 0 and at most 1. Default: 0.2.</summary>
    public double Threshold { get; init; } = 0.2;

    /// <summary>
    /// Key prefix in the models bucket holding the baselining job's <c>constraints.json</c> and <c>statistics.json</c>;
    /// drift metrics exist only against a baseline. Null runs the job without one (statistics only). Default: null.
    /// </summary>
    public string? BaselinePrefix { get; init; }

    /// <summary>Whether the drift alarm starts the retraining pipeline. Default: true.</summary>
    public bool StartsRetraining { get; init; } = true;
}

/// <summary>The public inference API (HTTP API, <c>POST /predict</c>).</summary>
public sealed record InferenceApiSpec
{
    /// <summary>The endpoint it invokes.</summary>
    public required string Endpoint { get; init; }

    /// <summary>Origins allowed by CORS; empty allows none. Default: none.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Steady-state requests per second. Default: 50.</summary>
    public int RateLimitPerSecond { get; init; } = 50;

    /// <summary>Burst. Default: 100.</summary>
    public int BurstLimit { get; init; } = 100;

    /// <summary>Largest request body in bytes, up to 6 MB. Default: 1 MB.</summary>
    public int MaxBodyBytes { get; init; } = 1_048_576;

    /// <summary>Who may call it: none, IAM (SigV4) or a JWT issuer. Default: none.</summary>
    public ApiAuthorization Authorization { get; init; } = ApiAuthorization.None;

    /// <summary>p95 end-to-end latency in milliseconds above which the API's alarm fires (1 to 29000). Default: 1000.</summary>
    public int LatencyP95Ms { get; init; } = 1000;
}

/// <summary>The nightly deletion of this environment's endpoints.</summary>
public sealed record EndpointCleanupSpec
{
    /// <summary>When it runs (EventBridge Scheduler). Default: 20:00 every day.</summary>
    public string Schedule { get; init; } = "cron(0 20 * * ? *)";

    /// <summary>Time zone of the schedule. Default: UTC.</summary>
    public string Timezone { get; init; } = "UTC";
}

/// <summary>The upload page (frontend/) on its own domain, calling the public API.</summary>
public sealed record FrontendSpec
{
    /// <summary>The page's domain; the public API's CorsOrigins must allow <c>https://&lt;domain&gt;</c>.</summary>
    public required string DomainName { get; init; }

    /// <summary>ACM certificate for the domain, in us-east-1.</summary>
    public required string CertificateArn { get; init; }

    /// <summary>A WAFv2 web ACL (scope CLOUDFRONT) in front of the page; null for none. Default: null.</summary>
    public string? WebAclArn { get; init; }
}
