using MlopsTf.Constructs.Deployment;

namespace MlopsTf.Environments;

/// <summary>Rules for <see cref="ServingConfig"/>, including the synth-time cost guardrails.</summary>
internal static partial class ServingConfigValidator
{
    public static void Validate(EnvironmentConfig env, Action<string, object?, string, string> error)
    {
        var serving = env.Serving;
        if (serving.RetainedVersions is < 1 or > 10)
            error("Serving.RetainedVersions", serving.RetainedVersions, "must be between 1 and 10", "keep a few versions for rollback, e.g. 3");
        if (env.Ml.Ecr.KeepTaggedImages >= 1 && env.Ml.Ecr.KeepTaggedImages < serving.RetainedVersions)
            error("Ml.Ecr.KeepTaggedImages", env.Ml.Ecr.KeepTaggedImages, $"keeps fewer images than Serving.RetainedVersions ({serving.RetainedVersions}); the lifecycle policy would expire images that rollback needs",
                "keep at least as many images as retained versions");
        if (serving.MinimumInstancesPerVariant < 1)
            error("Serving.MinimumInstancesPerVariant", serving.MinimumInstancesPerVariant, "must be at least 1", "use 2 in production, 1 elsewhere");

        foreach (var name in serving.Models.GroupBy(m => m.Name).Where(g => g.Count() > 1).Select(g => g.Key))
            error("Serving.Models", name, "is defined more than once", "define each model once");
        foreach (var model in serving.Models) ValidateModel(model, serving, error);

        foreach (var name in serving.Endpoints.GroupBy(e => e.Name).Where(g => g.Count() > 1).Select(g => g.Key))
            error("Serving.Endpoints", name, "is defined more than once", "give every endpoint its own name");
        foreach (var endpoint in serving.Endpoints) ValidateEndpoint(env, endpoint, error);

        if (serving.PublicApi is { } api)
        {
            if (serving.Endpoints.All(e => e.Name != api.Endpoint))
                error("Serving.PublicApi.Endpoint", api.Endpoint, "is not one of Serving.Endpoints", "name the endpoint the API invokes");
            if (api.RateLimitPerSecond < 1 || api.BurstLimit < 1)
                error("Serving.PublicApi.RateLimitPerSecond", $"{api.RateLimitPerSecond}/{api.BurstLimit}", "rate and burst limits must be positive", "set the throttling the API may take, e.g. 50/100");
            if (api.MaxBodyBytes is < 1 or > 6_291_456)
                error("Serving.PublicApi.MaxBodyBytes", api.MaxBodyBytes, "must be between 1 and 6291456 (the 6 MB invocation limit)", "use e.g. 1048576");
            if (api.Authorization.Problem() is { } authProblem)
                error("Serving.PublicApi.Authorization", api.Authorization.Kind, authProblem, "use ApiAuthorization.None, ApiAuthorization.Iam or ApiAuthorization.Jwt(issuer, audiences)");
            if (api.LatencyP95Ms is < 1 or > 29000)
                error("Serving.PublicApi.LatencyP95Ms", api.LatencyP95Ms, "must be between 1 and 29000 (the integration times out at 29 s)", "use e.g. 1000");
            foreach (var origin in api.CorsOrigins.Where(o => !OriginPattern().IsMatch(o)))
                error("Serving.PublicApi.CorsOrigins", origin, "is not an https origin", "list exact origins such as https://app.example.com; '*' is not allowed");
        }
        if (serving.Frontend is { } site)
        {
            if (serving.PublicApi is null)
                error("Serving.Frontend", site.DomainName, "the upload page calls the public API, which is off", "set Serving.PublicApi, or remove Serving.Frontend");
            else if (!serving.PublicApi.CorsOrigins.Contains($"https://{site.DomainName}"))
                error("Serving.PublicApi.CorsOrigins", string.Join(", ", serving.PublicApi.CorsOrigins), $"does not allow the upload page's origin https://{site.DomainName}, so browsers would refuse the API's answers",
                    $"add \"https://{site.DomainName}\"");
            if (!DomainPattern().IsMatch(site.DomainName))
                error("Serving.Frontend.DomainName", site.DomainName, "is not a domain name", "use the site's host name, e.g. app.example.com");
            if (!StaticSite.CertificateArnPattern.IsMatch(site.CertificateArn))
                error("Serving.Frontend.CertificateArn", site.CertificateArn, "is not an ACM certificate in us-east-1 (CloudFront takes certificates from there only)",
                    "request or import the certificate for the domain in us-east-1 and give its ARN");
            if (site.WebAclArn is { } acl && !WebAclPattern().IsMatch(acl))
                error("Serving.Frontend.WebAclArn", acl, "is not a WAFv2 web ACL of scope CLOUDFRONT (global, created in us-east-1)", "give arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>, or null");
        }
        if (serving.NightlyCleanup is { } cleanup && !ConfigPatterns.Schedule().IsMatch(cleanup.Schedule))
            error("Serving.NightlyCleanup.Schedule", cleanup.Schedule, "is not a cron(...) or rate(...) expression", "use e.g. cron(0 20 * * ? *)");
    }

    private static void ValidateModel(ServedModel model, ServingConfig serving, Action<string, object?, string, string> error)
    {
        var field = $"Serving.Models[{model.Name}]";
        if (!NamePattern().IsMatch(model.Name))
            error("Serving.Models", model.Name, "is not a valid model name", "use 1-30 letters, digits or '-', starting with a letter or digit");
        if (model.Versions.Count == 0)
            error($"{field}.Versions", "[]", "a model needs at least one version", "add the version to serve");
        if (model.Versions.Count > serving.RetainedVersions)
            error($"{field}.Versions", model.Versions.Count, $"more versions than Serving.RetainedVersions ({serving.RetainedVersions}) are retained",
                "drop the oldest version (its endpoint configuration is then deleted) or raise RetainedVersions");
        foreach (var v in model.Versions.GroupBy(v => DeployableModel.Sanitize(v.Version)).Where(g => g.Count() > 1).Select(g => g.First().Version))
            error($"{field}.Versions", v, "is listed more than once (labels that differ only in '.', '-' or '_' name the same resources)", "list each version once");
        foreach (var v in model.Versions)
        {
            if (!VersionPattern().IsMatch(v.Version))
                error($"{field}.Versions", v.Version, "is not a version label", "use up to 20 letters, digits, '.' or '-', e.g. 1.4.0");
            if (!ConfigPatterns.IsImmutableTag(v.ImageTag))
                error($"{field}.Versions[{v.Version}].ImageTag", v.ImageTag, "is not an immutable image tag", "use a version tag such as 1.4.0; 'latest' is not allowed");
            if (v.ModelDataKey.StartsWith('/') || !v.ModelDataKey.EndsWith(".tar.gz", StringComparison.Ordinal))
                error($"{field}.Versions[{v.Version}].ModelDataKey", v.ModelDataKey, "is not a relative key of a .tar.gz in the models bucket", "use e.g. churn/1.4.0/model.tar.gz");
        }
        if (model.NetworkIsolationWaiver is { } waiver && string.IsNullOrWhiteSpace(waiver))
            error($"{field}.NetworkIsolationWaiver", waiver, "a waiver needs a written reason", "say why the model must reach the network, or remove the waiver");
    }

    private static void ValidateEndpoint(EnvironmentConfig env, EndpointSpec e, Action<string, object?, string, string> error)
    {
        var field = $"Serving.Endpoints[{e.Name}]";
        var allowed = env.SageMaker.AllowedInstanceTypes;
        var max = env.SageMaker.MaxInstanceCount;
        if (!NamePattern().IsMatch(e.Name))
            error("Serving.Endpoints", e.Name, "is not a valid endpoint name", "use 1-30 letters, digits or '-', starting with a letter or digit");
        var model = env.Serving.Models.FirstOrDefault(m => m.Name == e.Model);
        if (model is null)
        {
            error($"{field}.Model", e.Model, "is not one of Serving.Models", "define the model under Serving.Models");
            return;
        }
        var versions = model.Versions.Select(v => v.Version).ToHashSet();
        if (!versions.Contains(e.ActiveVersion))
            error($"{field}.ActiveVersion", e.ActiveVersion, $"is not a retained version of {e.Model}", $"use one of {string.Join(", ", versions)}");

        var labels = model.Versions.Select(v => v.Version).Append(EndpointRelease.Weighted);
        Report(field, ModelEndpoint.ConfigurationNameProblems($"{Platform.Project}-{env.Name}", e.Name, labels), error);

        var mode = e.Mode ?? env.Serving.DefaultMode;
        if (mode == EndpointMode.Serverless)
        {
            Report($"{field}.Serverless", e.Serverless.Problems(), error);
            if (e.Variants.Count > 0)
                error($"{field}.Variants", e.Variants.Count, "serverless endpoints have one implicit variant", "remove Variants or set Mode = RealTime");
            if (e.Autoscaling is not null)
                error($"{field}.Autoscaling", "set", "serverless endpoints scale by themselves", "remove Autoscaling or set Mode = RealTime");
            if (e.DataCapture is not null)
                error($"{field}.DataCapture", e.DataCapture.SamplingPercent, "serverless endpoints do not support data capture", "remove DataCapture or set Mode = RealTime");
            if (e.DriftMonitor is not null)
                error($"{field}.DriftMonitor", "set", "drift monitoring reads captured data, which serverless endpoints do not produce", "remove DriftMonitor or set Mode = RealTime");
            if (e.ModelQuality is not null)
                error($"{field}.ModelQuality", "set", "model quality monitoring merges captured predictions with ground truth, and serverless endpoints capture nothing", "remove ModelQuality or set Mode = RealTime");
            return;
        }

        if (mode == EndpointMode.Async)
        {
            if (e.Variants.Count != 1)
                error($"{field}.Variants", e.Variants.Count, "an asynchronous endpoint has exactly one variant (its backlog scales one fleet)", "keep one variant; use a real-time endpoint for weighted variants");
            if (e.Autoscaling is not null)
                error($"{field}.Autoscaling", "set", "an asynchronous endpoint scales on its backlog", "remove Autoscaling and set Async.MaxInstances");
            if (e.DataCapture is not null || e.DriftMonitor is not null || e.ModelQuality is not null)
                error($"{field}.DataCapture", "set", "capture, drift and model quality monitoring are set up for real-time endpoints only here", "remove DataCapture, DriftMonitor and ModelQuality from the asynchronous endpoint");
            if (e.TrafficExpected)
                error($"{field}.TrafficExpected", true, "asynchronous endpoints publish no Invocations metric to alarm on", "set TrafficExpected = false; the oldest-request alarm reports a stuck queue");
            if (e.Variants.Count == 1 && e.Async.MaxInstances < e.Variants[0].InstanceCount)
                error($"{field}.Async.MaxInstances", e.Async.MaxInstances, $"is below the variant's InstanceCount ({e.Variants[0].InstanceCount}), the fleet it starts with", "raise MaxInstances or lower the variant's InstanceCount");
            if (e.Async.MaxInstances > max)
                error($"{field}.Async.MaxInstances", e.Async.MaxInstances, $"is above SageMaker.MaxInstanceCount ({max}) (cost guardrail)", "lower it or raise the environment's maximum");
            Report($"{field}.Async", e.Async.Problems(), error);
        }

        if (e.Variants.Count == 0)
            error($"{field}.Variants", "[]", "a real-time endpoint needs at least one variant", "add a variant with its instance type and count");
        var weights = e.Variants.Sum(v => v.Weight);
        if (e.Variants.Count > 0 && (!(weights > 0) || e.Variants.Any(v => v.Weight < 0 || !double.IsFinite(v.Weight))))
            error($"{field}.Variants", string.Join("/", e.Variants.Select(v => v.Weight)), "variant weights must be non-negative and sum to a positive total", "give the serving variant a positive weight");
        foreach (var name in e.Variants.GroupBy(v => v.Name).Where(g => g.Count() > 1).Select(g => g.Key))
            error($"{field}.Variants", name, "is listed more than once", "give every variant its own name");
        foreach (var v in e.Variants)
        {
            var vf = $"{field}.Variants[{v.Name}]";
            if (v.InstanceType is null)
                error($"{vf}.InstanceType", "null", "a real-time variant needs an instance type", $"use one of {string.Join(", ", allowed)}");
            else if (!allowed.Contains(v.InstanceType))
                error($"{vf}.InstanceType", v.InstanceType, "is not in SageMaker.AllowedInstanceTypes (cost guardrail)", $"use one of {string.Join(", ", allowed)}");
            else if (Constructs.SageMaker.InstanceTypes.Find(v.InstanceType) is { } hostingType && !hostingType.Uses.HasFlag(Constructs.SageMaker.InstanceUse.Hosting))
                error($"{vf}.InstanceType", v.InstanceType, "is not accepted by SageMaker for real-time endpoints (ProductionVariant.InstanceType)",
                    "use a hosting type, e.g. ml.m5.large (ml.t3.* runs notebooks, training and processing, not endpoints)");
            if (v.InstanceCount < 1 || v.InstanceCount > max)
                error($"{vf}.InstanceCount", v.InstanceCount, $"must be between 1 and SageMaker.MaxInstanceCount ({max}) (cost guardrail)", "lower the count or raise the environment's maximum");
            else if (v.InstanceCount < env.Serving.MinimumInstancesPerVariant)
                error($"{vf}.InstanceCount", v.InstanceCount, $"is below Serving.MinimumInstancesPerVariant ({env.Serving.MinimumInstancesPerVariant}); one instance is one AZ", "run at least two instances in production");
            if (v.Version is { } version && !versions.Contains(version))
                error($"{vf}.Version", version, $"is not a retained version of {e.Model}", $"use one of {string.Join(", ", versions)}");
            if (e.Variants.Count == 1 && v.Version is { } only && only != e.ActiveVersion)
                error($"{vf}.Version", only, "a single variant serves the endpoint's ActiveVersion", "leave Version null and set ActiveVersion");
        }

        if (e.Variants.Count == 1)
            Report($"{field}.Rollout", e.Rollout.Problems(), error);

        if (e.Autoscaling is { } a)
        {
            var largest = e.Variants.Count > 0 ? e.Variants.Max(v => v.InstanceCount) : 1;
            if (a.MaxInstances < largest || a.MaxInstances > max)
                error($"{field}.Autoscaling.MaxInstances", a.MaxInstances, $"must be between the variants' count ({largest}) and SageMaker.MaxInstanceCount ({max}) (cost guardrail)", "set the most instances a variant may scale to");
            Report($"{field}.Autoscaling", a.Problems(), error);
            if (a.ScaleDownOffHours && env.Serving.MinimumInstancesPerVariant > 1)
                error($"{field}.Autoscaling.ScaleDownOffHours", true, $"off-hours scaling goes down to one instance, below Serving.MinimumInstancesPerVariant ({env.Serving.MinimumInstancesPerVariant})", "keep production endpoints up at night");
            if (!ConfigPatterns.Cron().IsMatch(a.OffHoursStart) || !ConfigPatterns.Cron().IsMatch(a.WorkHoursStart))
                error($"{field}.Autoscaling.OffHoursStart", $"{a.OffHoursStart} / {a.WorkHoursStart}", "off-hours and work-hours starts must be cron(...) expressions", "use e.g. cron(0 19 ? * MON-FRI *)");
        }

        if (e.DataCapture is { } capture)
            Report($"{field}.DataCapture", capture.Problems(), error);

        if (e.ModelQuality is { } quality)
        {
            if (!allowed.Contains(quality.InstanceType))
                error($"{field}.ModelQuality.InstanceType", quality.InstanceType, "is not in SageMaker.AllowedInstanceTypes (cost guardrail)", $"use one of {string.Join(", ", allowed)}");
            else if (Constructs.SageMaker.InstanceTypes.Find(quality.InstanceType) is { } qualityType && !qualityType.Uses.HasFlag(Constructs.SageMaker.InstanceUse.Processing))
                error($"{field}.ModelQuality.InstanceType", quality.InstanceType, "is not accepted by SageMaker for processing (Model Monitor) jobs",
                    "use a processing type, e.g. ml.m5.xlarge");
            if (!ConfigPatterns.Cron().IsMatch(quality.Schedule))
                error($"{field}.ModelQuality.Schedule", quality.Schedule, "is not a cron(...) expression", $"use e.g. {ModelQualitySettings.Hourly} for hourly");
            Report($"{field}.ModelQuality", quality.Problems(), error);
        }

        if (e.DriftMonitor is { } drift)
        {
            if (!allowed.Contains(drift.InstanceType))
                error($"{field}.DriftMonitor.InstanceType", drift.InstanceType, "is not in SageMaker.AllowedInstanceTypes (cost guardrail)", $"use one of {string.Join(", ", allowed)}");
            else if (Constructs.SageMaker.InstanceTypes.Find(drift.InstanceType) is { } processingType && !processingType.Uses.HasFlag(Constructs.SageMaker.InstanceUse.Processing))
                error($"{field}.DriftMonitor.InstanceType", drift.InstanceType, "is not accepted by SageMaker for processing (Model Monitor) jobs",
                    "use a processing type, e.g. ml.m5.xlarge");
            if (!(drift.Threshold > 0 && drift.Threshold <= 1))
                error($"{field}.DriftMonitor.Threshold", drift.Threshold, "must be above 0 and at most 1", "use e.g. 0.2");
            if (!ConfigPatterns.Cron().IsMatch(drift.Schedule))
                error($"{field}.DriftMonitor.Schedule", drift.Schedule, "is not a cron(...) expression", "use e.g. cron(0 * ? * * *) for hourly");
            if (drift.BaselinePrefix is { } baseline && (baseline.StartsWith('/') || !baseline.EndsWith('/')))
                error($"{field}.DriftMonitor.BaselinePrefix", baseline, "is not a relative key prefix ending in '/'", "use e.g. churn/1.1.0/baseline/");
            if (string.IsNullOrWhiteSpace(drift.Feature))
                error($"{field}.DriftMonitor.Feature", drift.Feature, "is empty", "name the feature whose drift is alarmed on");
        }
    }

    private static void Report(string field, IEnumerable<SettingProblem> problems, Action<string, object?, string, string> error)
    {
        foreach (var p in problems) error($"{field}.{p.Field}", p.Value, p.Problem, p.Fix);
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,29}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global/webacl/[A-Za-z0-9_-]+/[0-9a-f-]{36}$")]
    private static partial Regex WebAclPattern();

    [GeneratedRegex(@"^[0-9A-Za-z][0-9A-Za-z.-]{0,19}$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^https://[a-z0-9.-]+(:\d+)?$")]
    private static partial Regex OriginPattern();
}
