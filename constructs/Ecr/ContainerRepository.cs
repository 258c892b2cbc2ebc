namespace MlopsTf.Constructs.Ecr;

/// <summary>Props for <see cref="ContainerRepository"/>.</summary>
public sealed record ContainerRepositoryProps
{
    /// <summary>Repository name, e.g. <c>mlopstf-dev/training</c>.</summary>
    public required string RepositoryName { get; init; }

    /// <summary>Key that encrypts the images.</summary>
    public required CustomerManagedKey EncryptionKey { get; init; }

    /// <summary>Images to keep (the newest; untagged ones expire earlier). Default: 30.</summary>
    public int KeepTaggedImages { get; init; } = 30;

    /// <summary>Days after which untagged images expire. Default: 7.</summary>
    public int UntaggedExpiryDays { get; init; } = 7;

    /// <summary>Opt-in: let Terraform delete the repository while it still holds images. Default: false.</summary>
    public bool AllowForceDelete { get; init; }
}

/// <summary>
/// A private ECR repository: IMMUTABLE tags, scan on push, KMS encryption with a customer key, and a lifecycle policy
/// that never expires a protected tag (the images of retained versions: <see cref="ProtectTag"/>), expires untagged
/// images and keeps the newest tagged ones. No repository policy unless images are shared (<see cref="GrantPullToAccounts"/>).
/// </summary>
public sealed class ContainerRepository : Construct
{
    /// <summary>The repository resource.</summary>
    public EcrRepository Repository { get; }

    /// <summary>Repository URL (<c>account.dkr.ecr.region.amazonaws.com/name</c>).</summary>
    public string Url => Repository.RepositoryUrl;

    /// <summary>Repository ARN.</summary>
    public string Arn => field ??= Repository.Arn;

    /// <summary>Creates the repository and its lifecycle policy.</summary>
    public ContainerRepository(Construct scope, string id, ContainerRepositoryProps props) : base(scope, id)
    {
        if (props.KeepTaggedImages < 1)
            throw new ArgumentException($"ContainerRepositoryProps.KeepTaggedImages = {props.KeepTaggedImages} for {props.RepositoryName}: keep at least one image.");
        if (props.UntaggedExpiryDays < 1)
            throw new ArgumentException($"ContainerRepositoryProps.UntaggedExpiryDays = {props.UntaggedExpiryDays} for {props.RepositoryName}: use at least 1 day.");
        Repository = new EcrRepository(this, "repository", new EcrRepositoryConfig
        {
            Name = props.RepositoryName,
            ImageTagMutability = "IMMUTABLE",
            ImageScanningConfiguration = new EcrRepositoryImageScanningConfiguration { ScanOnPush = true },
            EncryptionConfiguration = new IEcrRepositoryEncryptionConfiguration[]
            {
                new EcrRepositoryEncryptionConfiguration { EncryptionType = "KMS", KmsKey = props.EncryptionKey.Arn },
            },
            ForceDelete = props.AllowForceDelete,
        });
        _props = props;
        _lifecycle = new EcrLifecyclePolicy(this, "lifecycle", new EcrLifecyclePolicyConfig
        {
            Repository = Repository.Name,
            Policy = LifecyclePolicyJson(_protected, props.KeepTaggedImages, props.UntaggedExpiryDays),
        });
    }

    private readonly ContainerRepositoryProps _props;
    private readonly EcrLifecyclePolicy _lifecycle;
    private readonly SortedSet<string> _protected = new(StringComparer.Ordinal);

    /// <summary>Tags the lifecycle policy never expires.</summary>
    public IReadOnlyCollection<string> ProtectedTags => _protected;

    /// <summary>
    /// Keeps the image tagged <paramref name="tag"/> whatever the other rules select: constructs that deploy, register
    /// or roll back to an image call this, so a retained version's image cannot expire.
    /// </summary>
    public void ProtectTag(string tag)
    {
        if (string.IsNullOrWhiteSpace(tag) || tag.Contains('*', StringComparison.Ordinal))
            throw new ArgumentException($"ContainerRepository.ProtectTag(\"{tag}\") for {_props.RepositoryName}: protect one exact image tag.");
        if (_protected.Add(tag))
            _lifecycle.Policy = LifecyclePolicyJson(_protected, _props.KeepTaggedImages, _props.UntaggedExpiryDays);
    }

    /// <summary>
    /// The ECR lifecycle policy document, serialized once from typed rules. ECR applies rules in priority order and an
    /// image that matches a higher-priority rule's tag selection cannot be expired by a lower-priority rule; several
    /// patterns in one rule must all match, so each protected tag has its own rule, which matches at most one image
    /// (tags are immutable) and so never expires it
    /// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html#lp_evaluation_rules).
    /// </summary>
    public static string LifecyclePolicyJson(IEnumerable<string> protectedTags, int keepTagged, int untaggedDays)
    {
        var rules = protectedTags.Select((tag, i) => (object)new
        {
            rulePriority = i + 1,
            description = $"Never expire {tag}: the image of a retained version",
            selection = new { tagStatus = "tagged", tagPatternList = new[] { tag }, countType = "imageCountMoreThan", countNumber = 1 },
            action = new { type = "expire" },
        }).ToList();
        rules.Add(new
        {
            rulePriority = rules.Count + 1,
            description = $"Expire untagged images after {untaggedDays} days",
            selection = new { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = untaggedDays },
            action = new { type = "expire" },
        });
        rules.Add(new
        {
            rulePriority = rules.Count + 1,
            description = $"Keep the newest {keepTagged} images (tagged or not)",
            selection = new { tagStatus = "any", countType = "imageCountMoreThan", countNumber = keepTagged },
            action = new { type = "expire" },
        });
        return JsonSerializer.Serialize(new { rules });
    }

    /// <summary>Actions that pull an image (and nothing else).</summary>
    public static readonly string[] PullActions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"];

    /// <summary>
    /// A repository policy that lets principals of <paramref name="accountIds"/> pull, and only pull, from this
    /// repository (their own IAM policies must allow it too). Call at most once.
    /// </summary>
    public void GrantPullToAccounts(IReadOnlyList<string> accountIds)
    {
        if (accountIds.Count == 0)
            throw new ArgumentException($"ContainerRepository.GrantPullToAccounts for {_props.RepositoryName}: name at least one account.");
        // A repository policy applies to its repository: the statement names no resource.
        var document = Common.Policy.Document(this, "cross-account-pull-document", new HashiCorp.Cdktf.Providers.Aws.DataAwsIamPolicyDocument.DataAwsIamPolicyDocumentStatement
        {
            Sid = "PullFromDeployAccounts",
            Effect = "Allow",
            Actions = PullActions,
            Principals = Common.Policy.Principal("AWS", [.. accountIds.Select(a => Common.Arn.AccountRoot(StackContext.Of(this).Region, a))]),
        });
        new EcrRepositoryPolicy(this, "cross-account-pull", new EcrRepositoryPolicyConfig { Repository = Repository.Name, Policy = document.Json });
    }

    /// <summary>Lets <paramref name="role"/> push (and read back) images to this repository.</summary>
    public void GrantPush(IGrantable role)
    {
        role.AddPolicy($"push-{Node.Id}",
            Common.Policy.Allow("PushImages",
                [.. PullActions, "ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:DescribeImages"], [Arn]),
            Common.Policy.Allow("EcrLogin", ["ecr:GetAuthorizationToken"], ["*"]));
    }

    /// <summary>Lets <paramref name="role"/> pull images from this repository.</summary>
    public void GrantPull(IGrantable role)
    {
        role.AddPolicy($"pull-{Node.Id}",
            Common.Policy.Allow("PullImages", PullActions, [Arn]),
            // GetAuthorizationToken has no resource-level permissions.
            Common.Policy.Allow("EcrLogin", ["ecr:GetAuthorizationToken"], ["*"]));
    }
}
