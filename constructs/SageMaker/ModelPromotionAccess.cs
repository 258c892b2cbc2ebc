namespace MlopsTf.Constructs.SageMaker;

/// <summary>
/// Where registered models come from: the registry environment's stack context and the names it shares. The ARNs of
/// what another account owns are spelled here, once, from that environment's own naming.
/// </summary>
/// <param name="Registry">The registry environment's context (its prefix names the package groups <c>&lt;prefix&gt;-&lt;family&gt;</c>).</param>
/// <param name="ModelsBucket">Its models bucket.</param>
/// <param name="ArtifactsPrefix">Prefix of the training output (the registered packages' model data) in that bucket.</param>
/// <param name="InferenceRepository">Its inference image repository name.</param>
public sealed record PromotionSource(StackContext Registry, string ModelsBucket, string ArtifactsPrefix, string InferenceRepository)
{
    /// <summary>ARN of the source models bucket.</summary>
    public string BucketArn => Registry.BucketArn(ModelsBucket);

    /// <summary>ARN of the source inference repository.</summary>
    public string RepositoryArn => Registry.ServiceArn("ecr", $"repository/{InferenceRepository}");

    /// <summary>ARN pattern of the source's package groups.</summary>
    public string GroupsArn => Registry.ServiceArn("sagemaker", $"model-package-group/{Registry.NamePrefix}-*");

    /// <summary>ARN pattern of the packages in those groups.</summary>
    public string PackagesArn => Registry.ServiceArn("sagemaker", $"model-package/{Registry.NamePrefix}-*/*");

    /// <summary>ARN pattern of the source account's keys (the models key's id is not known to other stacks).</summary>
    public string KeysArn => Registry.ServiceArn("kms", "key/*");
}

/// <summary>Props for <see cref="ModelPromotionAccess"/>.</summary>
public sealed record ModelPromotionAccessProps
{
    /// <summary>Role name (within the CI apply role's <c>&lt;project&gt;-&lt;env&gt;-*</c> scope).</summary>
    public required string RoleName { get; init; }

    /// <summary>The role allowed to assume the promotion role (the account's CI apply role).</summary>
    public required string AssumedByRoleArn { get; init; }

    /// <summary>The registry environment promoted from.</summary>
    public required PromotionSource Source { get; init; }

    /// <summary>This environment's models bucket, where promoted archives are copied.</summary>
    public required SecureBucket TargetBucket { get; init; }

    /// <summary>Key prefixes in the target bucket that promoted archives go to (one per served model, e.g. <c>churn/</c>).</summary>
    public required IReadOnlyList<string> TargetPrefixes { get; init; }

    /// <summary>This environment's inference repository, where promoted images are pushed.</summary>
    public required ContainerRepository TargetRepository { get; init; }
}

/// <summary>
/// The deploying side of promotion by copy: a role that reads exactly what the registry account shares (its
/// packages, the training output in its models bucket, decrypted through S3 only, and pulls from its inference
/// repository) and writes the copy into this environment's models bucket and inference repository. The registry
/// side's resource policies (bucket, key, repository, package groups) name this account; both sides must allow.
/// </summary>
public sealed class ModelPromotionAccess : Construct
{
    /// <summary>The promotion role.</summary>
    public ServiceRole Role { get; }

    /// <summary>Creates the role and its policies.</summary>
    public ModelPromotionAccess(Construct scope, string id, ModelPromotionAccessProps props) : base(scope, id)
    {
        if (props.TargetPrefixes.Count == 0)
            throw new ArgumentException($"ModelPromotionAccessProps.TargetPrefixes is empty for {props.RoleName}: name the prefix of each promoted model.");
        var s = props.Source;
        Role = new ServiceRole(this, "role", new ServiceRoleProps
        {
            RoleName = props.RoleName,
            AssumedByRoleArn = props.AssumedByRoleArn,
            Description = $"Copies registered models from {s.Registry.NamePrefix} ({s.Registry.AccountId}) into this environment",
        });
        Role.AddPolicy("read-source-registry",
            Policy.Allow("DescribeSourceGroups", ["sagemaker:DescribeModelPackageGroup"], [s.GroupsArn]),
            Policy.Allow("ReadSourcePackages", ["sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"], [s.PackagesArn]),
            Policy.Allow("ReadSourceArtifacts", ["s3:GetObject", "s3:GetObjectVersion"], [$"{s.BucketArn}/{s.ArtifactsPrefix}*"]),
            // The source key's id is not known here; the conditions confine the grant to decrypting that bucket's objects through S3.
            Policy.Allow("DecryptSourceArtifactsThroughS3", KeyActions.For(KeyUse.DecryptData), [s.KeysArn],
                conditions: [Policy.When("StringEquals", "kms:ViaService", $"s3.{s.Registry.Region}.amazonaws.com"),
                    Policy.When("StringEquals", "kms:EncryptionContext:aws:s3:arn", s.BucketArn)]),
            Policy.Allow("PullSourceImages", ContainerRepository.PullActions, [s.RepositoryArn]),
            Policy.Allow("EcrLogin", ["ecr:GetAuthorizationToken"], ["*"]));
        foreach (var prefix in props.TargetPrefixes) props.TargetBucket.GrantReadWrite(Role, prefix);
        props.TargetRepository.GrantPush(Role);
    }
}
