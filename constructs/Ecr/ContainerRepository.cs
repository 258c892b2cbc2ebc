using System.Text.Json;
using Constructs;
using HashiCorp.Cdktf.Providers.Aws.EcrLifecyclePolicy;
using HashiCorp.Cdktf.Providers.Aws.EcrRepository;
using MlopsTf.Constructs.Security;

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
/// that expires untagged images and keeps the newest tagged ones. No repository policy: access is by IAM only.
/// </summary>
public sealed class ContainerRepository : Construct
{
    /// <summary>The repository resource.</summary>
    public EcrRepository Repository { get; }

    /// <summary>Repository URL (<c>account.dkr.ecr.region.amazonaws.com/name</c>).</summary>
    public string Url => Repository.RepositoryUrl;

    /// <summary>Repository ARN.</summary>
    public string Arn => Repository.Arn;

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
        new EcrLifecyclePolicy(this, "lifecycle", new EcrLifecyclePolicyConfig
        {
            Repository = Repository.Name,
            Policy = LifecyclePolicyJson(props.KeepTaggedImages, props.UntaggedExpiryDays),
        });
    }

    /// <summary>The ECR lifecycle policy document, serialized once from typed rules.</summary>
    public static string LifecyclePolicyJson(int keepTagged, int untaggedDays) => JsonSerializer.Serialize(new
    {
        rules = new object[]
        {
            new
            {
                rulePriority = 1,
                description = $"Expire untagged images after {untaggedDays} days",
                selection = new { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = untaggedDays },
                action = new { type = "expire" },
            },
            new
            {
                rulePriority = 2,
                description = $"Keep the newest {keepTagged} images (tagged or not)",
                selection = new { tagStatus = "any", countType = "imageCountMoreThan", countNumber = keepTagged },
                action = new { type = "expire" },
            },
        },
    });

    /// <summary>Lets <paramref name="role"/> pull images from this repository.</summary>
    public void GrantPull(ServiceRole role)
    {
        role.AddPolicy($"pull-{Node.Id}",
            Common.Policy.Allow("PullImages", ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"], [Arn]),
            // GetAuthorizationToken has no resource-level permissions.
            Common.Policy.Allow("EcrLogin", ["ecr:GetAuthorizationToken"], ["*"]));
    }
}
