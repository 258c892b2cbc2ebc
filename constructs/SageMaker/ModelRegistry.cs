using HashiCorp.Cdktf.Providers.Aws.SagemakerModelPackageGroup;
using HashiCorp.Cdktf.Providers.Aws.SagemakerModelPackageGroupPolicy;

namespace MlopsTf.Constructs.SageMaker;

/// <summary>Props for <see cref="ModelRegistry"/>.</summary>
public sealed record ModelRegistryProps
{
    /// <summary>Prefix of group names, e.g. <c>mlopstf-dev</c>.</summary>
    public required string NamePrefix { get; init; }

    /// <summary>Model families; each gets a model package group.</summary>
    public required IReadOnlyList<string> Families { get; init; }

    /// <summary>Region of the registry.</summary>
    public required string Region { get; init; }

    /// <summary>Account of the registry.</summary>
    public required string AccountId { get; init; }

    /// <summary>Other accounts (e.g. staging and prod) that may read the registered packages. Default: none.</summary>
    public IReadOnlyList<string> ReaderAccountIds { get; init; } = [];
}

/// <summary>
/// The model registry: one SageMaker model package group per model family, and, when other accounts deploy the
/// models, a resource policy that lets those accounts read the groups and their packages (nothing else).
/// </summary>
public sealed class ModelRegistry : Construct
{
    /// <summary>Package groups by family.</summary>
    public IReadOnlyDictionary<string, SagemakerModelPackageGroup> Groups { get; }

    /// <summary>Creates the groups and their policies.</summary>
    public ModelRegistry(Construct scope, string id, ModelRegistryProps props) : base(scope, id)
    {
        if (props.Families.Count == 0)
            throw new ArgumentException("ModelRegistryProps.Families is empty: name at least one model family.");
        var readers = props.ReaderAccountIds.Where(a => a != props.AccountId).Distinct().ToList();
        Groups = props.Families.ToDictionary(family => family, family =>
        {
            var name = $"{props.NamePrefix}-{family}";
            var group = new SagemakerModelPackageGroup(this, $"group-{family}", new SagemakerModelPackageGroupConfig
            {
                ModelPackageGroupName = name,
                ModelPackageGroupDescription = $"Model family {family}: versions registered by the training pipeline",
            });
            if (readers.Count > 0)
            {
                var groupArn = $"arn:{Arn.Partition(props.Region)}:sagemaker:{props.Region}:{props.AccountId}:model-package-group/{name}";
                var packagesArn = $"arn:{Arn.Partition(props.Region)}:sagemaker:{props.Region}:{props.AccountId}:model-package/{name}/*";
                var policy = Policy.Document(this, $"group-{family}-policy-document",
                    Policy.Allow("ReadGroupFromDeployAccounts",
                        ["sagemaker:DescribeModelPackageGroup"], [groupArn],
                        Policy.Principal("AWS", [.. readers.Select(a => Arn.AccountRoot(props.Region, a))])),
                    // ListModelPackages authorizes on the packages (resource type model-package), not on the group.
                    Policy.Allow("ReadPackagesFromDeployAccounts",
                        ["sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"], [packagesArn],
                        Policy.Principal("AWS", [.. readers.Select(a => Arn.AccountRoot(props.Region, a))])));
                new SagemakerModelPackageGroupPolicy(this, $"group-{family}-policy", new SagemakerModelPackageGroupPolicyConfig
                {
                    ModelPackageGroupName = group.ModelPackageGroupName,
                    ResourcePolicy = policy.Json,
                });
            }
            return group;
        });
    }
}
