namespace MlopsTf.Constructs.SageMaker;

/// <summary>Props for <see cref="ModelRegistry"/>.</summary>
public sealed record ModelRegistryProps
{
    /// <summary>Model families; each gets a model package group.</summary>
    public required IReadOnlyList<string> Families { get; init; }

    /// <summary>Other accounts (e.g. staging and prod) that may read the registered packages. Default: none.</summary>
    public IReadOnlyList<string> ReaderAccountIds { get; init; } = [];
}

/// <summary>A model package group of the registry, and what others may do with it.</summary>
/// <param name="Resource">The group resource.</param>
/// <param name="Arn">The group's ARN.</param>
/// <param name="PackagesArn">The ARN pattern of the group's model packages (<c>model-package/&lt;group&gt;/*</c>).</param>
public sealed record ModelPackageGroup(SagemakerModelPackageGroup Resource, string Arn, string PackagesArn)
{
    /// <summary>The group's name.</summary>
    public string Name => Resource.ModelPackageGroupName;

    /// <summary>Registering model packages into the group (<c>CreateModelPackage</c> authorizes on the group and the package).</summary>
    public IDataAwsIamPolicyDocumentStatement RegisterStatement(string sid) =>
        Policy.Allow(sid, ["sagemaker:CreateModelPackage", "sagemaker:AddTags"], [Arn, PackagesArn]);
}

/// <summary>
/// The model registry: one SageMaker model package group per model family, and, when other accounts deploy the
/// models, a resource policy that lets those accounts read the groups and their packages (nothing else).
/// </summary>
public sealed class ModelRegistry : Construct
{
    /// <summary>Package groups by family.</summary>
    public IReadOnlyDictionary<string, ModelPackageGroup> Groups { get; }

    private readonly StackContext _context;

    /// <summary>Reading every group of the environment and its packages (Studio users, deployment tooling).</summary>
    public IDataAwsIamPolicyDocumentStatement ReadStatement(string sid) =>
        Policy.Allow(sid, ["sagemaker:DescribeModelPackageGroup", "sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"],
            [_context.ServiceArn("sagemaker", $"model-package-group/{_context.NamePrefix}-*"), _context.ServiceArn("sagemaker", $"model-package/{_context.NamePrefix}-*/*")]);

    /// <summary>Creates the groups and their policies.</summary>
    public ModelRegistry(Construct scope, string id, ModelRegistryProps props) : base(scope, id)
    {
        if (props.Families.Count == 0)
            throw new ArgumentException("ModelRegistryProps.Families is empty: name at least one model family.");
        _context = StackContext.Of(scope);
        var context = _context;
        var readers = props.ReaderAccountIds.Where(a => a != context.AccountId).Distinct().ToList();
        Groups = props.Families.ToDictionary(family => family, family =>
        {
            var name = context.Name(family);
            var group = new SagemakerModelPackageGroup(this, $"group-{family}", new SagemakerModelPackageGroupConfig
            {
                ModelPackageGroupName = name,
                ModelPackageGroupDescription = $"Model family {family}: versions registered by the training pipeline",
            });
            if (readers.Count > 0)
            {
                var groupArn = context.ServiceArn("sagemaker", $"model-package-group/{name}");
                var packagesArn = context.ServiceArn("sagemaker", $"model-package/{name}/*");
                var policy = Policy.Document(this, $"group-{family}-policy-document",
                    Policy.Allow("ReadGroupFromDeployAccounts",
                        ["sagemaker:DescribeModelPackageGroup"], [groupArn],
                        Policy.Principal("AWS", [.. readers.Select(a => Arn.AccountRoot(context.Region, a))])),
                    // ListModelPackages authorizes on the packages (resource type model-package), not on the group.
                    Policy.Allow("ReadPackagesFromDeployAccounts",
                        ["sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"], [packagesArn],
                        Policy.Principal("AWS", [.. readers.Select(a => Arn.AccountRoot(context.Region, a))])));
                new SagemakerModelPackageGroupPolicy(this, $"group-{family}-policy", new SagemakerModelPackageGroupPolicyConfig
                {
                    ModelPackageGroupName = group.ModelPackageGroupName,
                    ResourcePolicy = policy.Json,
                });
            }
            return new ModelPackageGroup(group,
                context.ServiceArn("sagemaker", $"model-package-group/{group.ModelPackageGroupName}"),
                context.ServiceArn("sagemaker", $"model-package/{group.ModelPackageGroupName}/*"));
        });
    }
}
