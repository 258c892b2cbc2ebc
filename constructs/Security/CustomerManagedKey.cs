namespace MlopsTf.Constructs.Security;

/// <summary>Props for <see cref="CustomerManagedKey"/>.</summary>
public sealed record CustomerManagedKeyProps
{
    /// <summary>Alias name without the <c>alias/</c> prefix.</summary>
    public required string Alias { get; init; }

    /// <summary>What the key protects; shown in the console.</summary>
    public required string Description { get; init; }

    /// <summary>
    /// AWS services allowed to use the key directly (e.g. CloudWatch Logs), each scoped by its own condition.
    /// Default: none; IAM principals get access through their own policies.
    /// </summary>
    public IReadOnlyList<KeyServiceGrant> ServiceGrants { get; init; } = [];

    /// <summary>Further key-policy statements, e.g. a decrypt grant to other accounts scoped by conditions. Default: none.</summary>
    public IReadOnlyList<IDataAwsIamPolicyDocumentStatement> AdditionalStatements { get; init; } = [];

    /// <summary>Days before a scheduled deletion completes (7-30). Default: 30, the longest.</summary>
    public int DeletionWindowInDays { get; init; } = 30;
}

/// <summary>An AWS service principal allowed to use a key, and the condition that scopes it to this account.</summary>
/// <param name="Sid">Statement id suffix, e.g. <c>CloudWatchLogs</c>.</param>
/// <param name="Service">Service principal, e.g. <c>logs.us-east-1.amazonaws.com</c>.</param>
/// <param name="Condition">Scoping condition; null where the service's documented key policy has none (CloudWatch alarms, EventBridge and Budgets publishing to an encrypted topic).</param>
public sealed record KeyServiceGrant(string Sid, string Service, DataAwsIamPolicyDocumentStatementCondition? Condition);

/// <summary>
/// A symmetric customer managed KMS key with yearly rotation, an explicit key policy without wildcard principals,
/// and an alias. The stack's account root administers it, so the key can never be locked out.
/// </summary>
public sealed class CustomerManagedKey : Construct
{
    /// <summary>The key resource.</summary>
    public KmsKey Key { get; }

    /// <summary>The alias resource.</summary>
    public KmsAlias KeyAlias { get; }

    /// <summary>The key's ARN (a token until apply).</summary>
    public string Arn => field ??= Key.Arn;

    /// <summary>Creates the key.</summary>
    public CustomerManagedKey(Construct scope, string id, CustomerManagedKeyProps props) : base(scope, id)
    {
        if (props.DeletionWindowInDays is < 7 or > 30)
            throw new ArgumentException($"CustomerManagedKeyProps.DeletionWindowInDays = {props.DeletionWindowInDays}: KMS accepts 7 to 30 days; use 30 unless a shorter window is required.", nameof(props));
        if (props.Alias.StartsWith("alias/", StringComparison.Ordinal) || props.Alias.StartsWith("aws/", StringComparison.Ordinal))
            throw new ArgumentException($"CustomerManagedKeyProps.Alias = \"{props.Alias}\": give the name without 'alias/' and not starting with 'aws/'.", nameof(props));

        var statements = new List<IDataAwsIamPolicyDocumentStatement>
        {
            Policy.Allow("AccountRootAdministersKey", ["kms:*"], ["*"],
                Policy.Principal("AWS", StackContext.Of(scope).AccountRoot)),
        };
        foreach (var grant in props.ServiceGrants)
        {
            statements.Add(Policy.Allow($"Allow{grant.Sid}", KeyActions.ServiceUse, ["*"],
                Policy.Principal("Service", grant.Service),
                grant.Condition is { } c ? [c] : null));
        }
        statements.AddRange(props.AdditionalStatements);
        var policy = Policy.Document(this, "policy", [.. statements]);

        Key = new KmsKey(this, "key", new KmsKeyConfig
        {
            Description = props.Description,
            EnableKeyRotation = true,
            DeletionWindowInDays = props.DeletionWindowInDays,
            Policy = policy.Json,
        });
        KeyAlias = new KmsAlias(this, "alias", new KmsAliasConfig
        {
            Name = $"alias/{props.Alias}",
            TargetKeyId = Key.KeyId,
        });
    }

    /// <summary>A statement that lets its holder use this key for <paramref name="use"/>.</summary>
    public IDataAwsIamPolicyDocumentStatement Allow(string sid, KeyUse use) => Allow(sid, use, this);

    /// <summary>A statement that lets its holder use this key for <paramref name="use"/> only through <paramref name="viaService"/> (<c>kms:ViaService</c>, e.g. <c>ssm.us-east-1.amazonaws.com</c>).</summary>
    public IDataAwsIamPolicyDocumentStatement AllowVia(string sid, KeyUse use, string viaService) =>
        Policy.Allow(sid, KeyActions.For(use), [Arn], conditions: [Policy.When("StringEquals", "kms:ViaService", viaService)]);

    /// <summary>One statement that lets its holder use every key in <paramref name="keys"/> for <paramref name="use"/>.</summary>
    public static IDataAwsIamPolicyDocumentStatement Allow(string sid, KeyUse use, params CustomerManagedKey[] keys) =>
        Policy.Allow(sid, KeyActions.For(use), [.. keys.Select(k => k.Arn)]);

    /// <summary>
    /// The key-policy statements CloudTrail needs to encrypt a trail's log and digest files with a key
    /// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html): data keys
    /// only for trails of <paramref name="accountId"/> (encryption context) and only for <paramref name="trailArn"/>
    /// (<c>aws:SourceArn</c>); describe the key (same trail); and decrypt, which CloudTrail needs to create or update a
    /// trail that writes to a bucket with an S3 Bucket Key, without a condition as AWS documents it.
    /// </summary>
    public static IDataAwsIamPolicyDocumentStatement[] CloudTrailStatements(string trailArn, string partition, string accountId)
    {
        var service = Policy.Principal("Service", "cloudtrail.amazonaws.com");
        var fromTrail = Policy.When("StringEquals", "aws:SourceArn", trailArn);
        return
        [
            Policy.Allow("AllowCloudTrailEncryptLogs", ["kms:GenerateDataKey*"], ["*"], service,
                [Policy.When("StringLike", "kms:EncryptionContext:aws:cloudtrail:arn", $"arn:{partition}:cloudtrail:*:{accountId}:trail/*"), fromTrail]),
            Policy.Allow("AllowCloudTrailDescribeKey", ["kms:DescribeKey"], ["*"], service, [fromTrail]),
            Policy.Allow("AllowCloudTrailDecryptForBucketKey", ["kms:Decrypt"], ["*"], service),
        ];
    }

    /// <summary>
    /// One statement that lets its holder create grants on <paramref name="keys"/> for AWS resources only (EBS volumes of
    /// SageMaker jobs and endpoints encrypted with the key).
    /// </summary>
    public static IDataAwsIamPolicyDocumentStatement AllowGrantsForAwsResources(string sid, params CustomerManagedKey[] keys) =>
        Policy.Allow(sid, ["kms:CreateGrant"], [.. keys.Select(k => k.Arn)], conditions: [Policy.When("Bool", "kms:GrantIsForAWSResource", "true")]);
}
