namespace MlopsTf.Constructs.Deployment;

/// <summary>A version of a model: inference image tag and model data key.</summary>
/// <param name="Version">Version label.</param>
/// <param name="ImageTag">Immutable tag in the inference repository.</param>
/// <param name="ModelDataKey">Key of the model archive in the models bucket.</param>
public sealed record DeployableVersion(string Version, string ImageTag, string ModelDataKey);

/// <summary>Props for <see cref="DeployableModel"/>.</summary>
public sealed record DeployableModelProps
{
    /// <summary>Model name.</summary>
    public required string ModelName { get; init; }

    /// <summary>Retained versions; each becomes a SageMaker model.</summary>
    public required IReadOnlyList<DeployableVersion> Versions { get; init; }

    /// <summary>Inference image repository.</summary>
    public required ContainerRepository Repository { get; init; }

    /// <summary>Bucket holding the model archives.</summary>
    public required SecureBucket ModelsBucket { get; init; }

    /// <summary>The scoped execution role of the models.</summary>
    public required ServiceRole ExecutionRole { get; init; }

    /// <summary>Private subnets the model containers run in.</summary>
    public required string[] SubnetIds { get; init; }

    /// <summary>Security group of the model containers.</summary>
    public required string SecurityGroupId { get; init; }

    /// <summary>Why the model must reach the network; null keeps network isolation on (the default).</summary>
    public string? NetworkIsolationWaiver { get; init; }

    /// <summary>
    /// The models serve serverless endpoints: no VPC configuration and no network isolation, which Serverless
    /// Inference does not support. Default: false (real-time hosting in the private subnets).
    /// </summary>
    public bool ForServerless { get; init; }
}

/// <summary>
/// One SageMaker model per retained version, run by the scoped execution role with the image and model data from the
/// platform's repository and bucket. Models for real-time hosting run in the VPC, network-isolated unless a named
/// waiver says otherwise; models for serverless endpoints have neither (AWS's Serverless Inference excludes both) and
/// waive the isolation rule saying so.
/// </summary>
public sealed class DeployableModel : Construct
{
    /// <summary>Models by version.</summary>
    public IReadOnlyDictionary<string, SagemakerModel> Versions { get; }

    /// <summary>Creates the models.</summary>
    public DeployableModel(Construct scope, string id, DeployableModelProps props) : base(scope, id)
    {
        if (props.Versions.Count == 0)
            throw new ArgumentException($"DeployableModelProps.Versions is empty for model {props.ModelName}: list at least one version.");
        if (props.NetworkIsolationWaiver is { } waiver && string.IsNullOrWhiteSpace(waiver))
            throw new ArgumentException($"DeployableModelProps.NetworkIsolationWaiver for model {props.ModelName} is blank: write why the model must reach the network.");
        var isolationWaiver = props.ForServerless ? ServerlessIsolation : props.NetworkIsolationWaiver;
        foreach (var v in props.Versions) props.Repository.ProtectTag(v.ImageTag);
        Versions = props.Versions.ToDictionary(v => v.Version, v => Waived(isolationWaiver, new SagemakerModel(this, $"version-{v.Version}", new SagemakerModelConfig
        {
            // The hash makes a changed image or archive a new model (SageMaker models are immutable).
            Name = $"{StackContext.Of(scope).NamePrefix}-{props.ModelName}-{Sanitize(v.Version)}-{(props.ForServerless ? ShortHash(v.ImageTag, v.ModelDataKey, "serverless") : ShortHash(v.ImageTag, v.ModelDataKey))}",
            ExecutionRoleArn = props.ExecutionRole.Arn,
            EnableNetworkIsolation = isolationWaiver is null,
            PrimaryContainer = new SagemakerModelPrimaryContainer
            {
                Image = $"{props.Repository.Url}:{v.ImageTag}",
                ModelDataUrl = $"s3://{props.ModelsBucket.Name}/{v.ModelDataKey}",
                Environment = new Dictionary<string, string> { ["MODEL_VERSION"] = v.Version },
            },
            VpcConfig = props.ForServerless ? null : new SagemakerModelVpcConfig { Subnets = props.SubnetIds, SecurityGroupIds = [props.SecurityGroupId] },
        })));
    }

    /// <summary>The waiver reason of models that serve serverless endpoints.</summary>
    public const string ServerlessIsolation =
        "serves a serverless endpoint: Serverless Inference supports neither network isolation nor VPC configuration " +
        "(https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html#serverless-endpoints-how-it-works-exclusions); " +
        "the endpoint runs in SageMaker's service network with no interface in the platform VPC";

    private static SagemakerModel Waived(string? reason, SagemakerModel model)
    {
        if (reason is not null) Waivers.Waive(model, "MLOPSTF-SM-003", reason);
        return model;
    }

    /// <summary>A version label as it may appear in resource names.</summary>
    public static string Sanitize(string version) => version.Replace('.', '-').Replace('_', '-');

    /// <summary>The first 6 hex digits of the SHA-256 of the parts joined by '|'.</summary>
    public static string ShortHash(params string[] parts) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("|", parts))))[..6];
}
