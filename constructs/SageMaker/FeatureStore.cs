namespace MlopsTf.Constructs.SageMaker;

/// <summary>A feature group to create.</summary>
/// <param name="Name">Group name.</param>
/// <param name="RecordIdentifier">Record identifier feature.</param>
/// <param name="EventTime">Event time feature.</param>
/// <param name="Features">Feature names and types (<c>Integral</c>, <c>Fractional</c>, <c>String</c>).</param>
/// <param name="OnlineStore">Whether the group has an online store.</param>
public sealed record FeatureGroupSpec(string Name, string RecordIdentifier, string EventTime, IReadOnlyList<(string Name, string Type)> Features, bool OnlineStore);

/// <summary>Props for <see cref="FeatureStore"/>.</summary>
public sealed record FeatureStoreProps
{
    /// <summary>Feature groups.</summary>
    public required IReadOnlyList<FeatureGroupSpec> Groups { get; init; }

    /// <summary>Bucket of the offline store (KMS-encrypted).</summary>
    public required SecureBucket OfflineBucket { get; init; }

    /// <summary>Key of the online store and the offline store objects.</summary>
    public required CustomerManagedKey EncryptionKey { get; init; }

    /// <summary>Prefix of the offline store in the bucket. Default: <see cref="DataLayout.Data.FeatureStore"/>.</summary>
    public string OfflinePrefix { get; init; } = DataLayout.Data.FeatureStore;
}

/// <summary>
/// SageMaker Feature Store: feature groups with a KMS-encrypted online store and an offline store in the data
/// bucket (KMS, Glue catalog table created by SageMaker), written by a role scoped to that prefix.
/// </summary>
public sealed class FeatureStore : Construct
{
    /// <summary>The role Feature Store uses to write the offline store.</summary>
    public ServiceRole Role { get; }

    /// <summary>Feature groups by name.</summary>
    public IReadOnlyDictionary<string, SagemakerFeatureGroup> Groups { get; }

    private readonly StackContext _context;

    /// <summary>Writing and reading records of the environment's feature groups (the online store's runtime API).</summary>
    public IDataAwsIamPolicyDocumentStatement RecordsStatement(string sid) =>
        Policy.Allow(sid, ["sagemaker:PutRecord", "sagemaker:GetRecord", "sagemaker:BatchGetRecord", "sagemaker:DescribeFeatureGroup"],
            [_context.ServiceArn("sagemaker", $"feature-group/{_context.NamePrefix}-*")]);

    /// <summary>Creates the role and the feature groups.</summary>
    public FeatureStore(Construct scope, string id, FeatureStoreProps props) : base(scope, id)
    {
        foreach (var g in props.Groups)
        {
            if (g.Features.All(f => f.Name != g.RecordIdentifier) || g.Features.All(f => f.Name != g.EventTime))
                throw new ArgumentException($"FeatureGroupSpec \"{g.Name}\": RecordIdentifier \"{g.RecordIdentifier}\" and EventTime \"{g.EventTime}\" must both be among its features.");
        }
        _context = StackContext.Of(scope);
        var catalog = _context.ServiceArn("glue", "");
        Role = new ServiceRole(this, "role", new ServiceRoleProps
        {
            RoleName = _context.Name("feature-store"),
            Service = "sagemaker.amazonaws.com",
            Description = $"Feature Store offline-store writer of {_context.NamePrefix}",
            ScopeToSourceAccount = true,
        });
        props.OfflineBucket.GrantReadWrite(Role, props.OfflinePrefix);
        Role.AddPolicy("offline-store-catalog",
            Policy.Allow("OfflineStoreTables", ["glue:GetTable", "glue:CreateTable", "glue:UpdateTable", "glue:GetDatabase", "glue:CreateDatabase"],
                [$"{catalog}catalog", $"{catalog}database/sagemaker_featurestore", $"{catalog}table/sagemaker_featurestore/*"]),
            props.EncryptionKey.Allow("FeatureStoreKey", KeyUse.EncryptDecrypt));

        Groups = props.Groups.ToDictionary(g => g.Name, g => new SagemakerFeatureGroup(this, $"group-{g.Name}", new SagemakerFeatureGroupConfig
        {
            FeatureGroupName = _context.Name(g.Name),
            RecordIdentifierFeatureName = g.RecordIdentifier,
            EventTimeFeatureName = g.EventTime,
            RoleArn = Role.Arn,
            FeatureDefinition = g.Features
                .Select(f => (ISagemakerFeatureGroupFeatureDefinition)new SagemakerFeatureGroupFeatureDefinition { FeatureName = f.Name, FeatureType = f.Type })
                .ToArray(),
            OnlineStoreConfig = g.OnlineStore
                ? new SagemakerFeatureGroupOnlineStoreConfig
                {
                    EnableOnlineStore = true,
                    SecurityConfig = new SagemakerFeatureGroupOnlineStoreConfigSecurityConfig { KmsKeyId = props.EncryptionKey.Arn },
                }
                : null,
            OfflineStoreConfig = new SagemakerFeatureGroupOfflineStoreConfig
            {
                S3StorageConfig = new SagemakerFeatureGroupOfflineStoreConfigS3StorageConfig
                {
                    S3Uri = $"s3://{props.OfflineBucket.Name}/{props.OfflinePrefix}",
                    KmsKeyId = props.EncryptionKey.Arn,
                },
                DisableGlueTableCreation = false,
            },
            DependsOn = [Role.Role],
        }));
    }
}
