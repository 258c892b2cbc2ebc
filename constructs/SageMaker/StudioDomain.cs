namespace MlopsTf.Constructs.SageMaker;

/// <summary>Props for <see cref="StudioDomain"/>.</summary>
public sealed record StudioDomainProps
{
    /// <summary>Domain name.</summary>
    public required string DomainName { get; init; }

    /// <summary>VPC of the domain.</summary>
    public required string VpcId { get; init; }

    /// <summary>Private subnets the domain's apps run in.</summary>
    public required string[] SubnetIds { get; init; }

    /// <summary>Security group of the domain's apps.</summary>
    public required string SecurityGroupId { get; init; }

    /// <summary>Default execution role of users.</summary>
    public required ServiceRole ExecutionRole { get; init; }

    /// <summary>Key for the domain's EFS volume and shared notebooks.</summary>
    public required CustomerManagedKey EncryptionKey { get; init; }

    /// <summary>Keep the home EFS file system when the domain is deleted. Default: true (the safe choice).</summary>
    public bool RetainHomeFileSystem { get; init; } = true;

    /// <summary>User profiles to create. Default: none.</summary>
    public IReadOnlyList<string> Users { get; init; } = [];
}

/// <summary>
/// A SageMaker Studio domain with IAM authentication, <c>VpcOnly</c> networking in private subnets, a customer managed
/// key, default user settings naming the execution role and security group, and user profiles.
/// </summary>
public sealed class StudioDomain : Construct
{
    /// <summary>The domain resource.</summary>
    public SagemakerDomain Domain { get; }

    /// <summary>Domain id.</summary>
    public string DomainId => field ??= Domain.Id;

    /// <summary>Creates the domain and its user profiles.</summary>
    public StudioDomain(Construct scope, string id, StudioDomainProps props) : base(scope, id)
    {
        if (props.SubnetIds.Length == 0)
            throw new ArgumentException($"StudioDomainProps.SubnetIds is empty for domain {props.DomainName}: a VpcOnly domain needs the private subnets.");
        Domain = new SagemakerDomain(this, "domain", new SagemakerDomainConfig
        {
            DomainName = props.DomainName,
            AuthMode = "IAM",
            AppNetworkAccessType = "VpcOnly",
            VpcId = props.VpcId,
            SubnetIds = props.SubnetIds,
            KmsKeyId = props.EncryptionKey.Arn,
            DefaultUserSettings = new SagemakerDomainDefaultUserSettings
            {
                ExecutionRole = props.ExecutionRole.Arn,
                SecurityGroups = [props.SecurityGroupId],
                SharingSettings = new SagemakerDomainDefaultUserSettingsSharingSettings
                {
                    NotebookOutputOption = "Disabled",
                },
            },
            RetentionPolicy = new SagemakerDomainRetentionPolicy { HomeEfsFileSystem = props.RetainHomeFileSystem ? "Retain" : "Delete" },
        });
        foreach (var user in props.Users)
        {
            new SagemakerUserProfile(this, $"user-{user}", new SagemakerUserProfileConfig
            {
                DomainId = Domain.Id,
                UserProfileName = user,
                UserSettings = new SagemakerUserProfileUserSettings
                {
                    ExecutionRole = props.ExecutionRole.Arn,
                    SecurityGroups = [props.SecurityGroupId],
                },
            });
        }
    }
}
