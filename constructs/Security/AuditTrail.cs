namespace MlopsTf.Constructs.Security;

/// <summary>Props for <see cref="AuditTrail"/>.</summary>
public sealed record AuditTrailProps
{
    /// <summary>The bucket that receives the trail bucket's server access logs.</summary>
    public required SecureBucket AccessLogBucket { get; init; }

    /// <summary>Trail name (3-128 letters, digits, '.', '_', '-'; starts and ends with a letter or digit). Default: <c>&lt;prefix&gt;-audit</c>.</summary>
    public string? TrailName { get; init; }

    /// <summary>
    /// How long every log and digest file stays locked (S3 Object Lock default retention) and kept; files expire
    /// after it. Default: Governance for 365 days (a holder of <c>s3:BypassGovernanceRetention</c> can break the lock
    /// in an emergency; <see cref="ObjectLockMode.Compliance"/> removes that path).
    /// </summary>
    public ObjectLockRetention Retention { get; init; } = new(ObjectLockMode.Governance, 365);
}

/// <summary>
/// The account's audit trail: a multi-Region CloudTrail trail with global service events and log file validation
/// (signed hourly digests), encrypted with its own customer managed key, writing to a bucket of its own with Object
/// Lock. The key and bucket policies let CloudTrail in for this trail only (<c>aws:SourceArn</c>).
/// </summary>
public sealed class AuditTrail : Construct
{
    private static readonly Regex ValidName = new("^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$", RegexOptions.Compiled);

    /// <summary>The trail.</summary>
    public Cloudtrail Trail { get; }

    /// <summary>The locked bucket the trail writes to.</summary>
    public SecureBucket Bucket { get; }

    /// <summary>The key that encrypts the log files.</summary>
    public CustomerManagedKey Key { get; }

    /// <summary>The trail's ARN.</summary>
    public string Arn => field ??= Trail.Arn;

    private readonly string knownArn;

    /// <summary>Creates the key, the bucket and the trail.</summary>
    public AuditTrail(Construct scope, string id, AuditTrailProps props) : base(scope, id)
    {
        var context = StackContext.Of(this);
        var name = props.TrailName ?? context.Name("audit");
        if (!ValidName.IsMatch(name) || name.Contains("..") || name.Contains("._") || name.Contains("_.") || name.Contains("-_") || name.Contains("_-"))
            throw new ArgumentException($"AuditTrailProps.TrailName = \"{name}\": CloudTrail names are 3-128 letters, digits, '.', '_' or '-', start and end with a letter or digit, and have no adjacent '.', '_' or '-' pairs like '._' or '..'.");
        // The trail's ARN is needed in the key and bucket policies that must exist before the trail does.
        var trailArn = knownArn = context.ServiceArn("cloudtrail", $"trail/{name}");

        Key = new CustomerManagedKey(this, "key", new CustomerManagedKeyProps
        {
            Alias = context.Name("audit-trail"),
            Description = $"Encrypts the log files of the CloudTrail trail {name}",
            AdditionalStatements = CustomerManagedKey.CloudTrailStatements(trailArn, context.Partition, context.AccountId),
        });
        var service = Policy.Principal("Service", "cloudtrail.amazonaws.com");
        var fromTrail = Policy.When("StringEquals", "aws:SourceArn", trailArn);
        var bucketName = $"{context.Name("audit")}-{context.AccountId}";
        var bucketArn = context.BucketArn(bucketName);
        Bucket = new SecureBucket(this, "bucket", new SecureBucketProps
        {
            BucketName = bucketName,
            EncryptionKey = Key,
            AccessLogBucket = props.AccessLogBucket,
            ObjectLock = props.Retention,
            ExpireObjectsAfterDays = props.Retention.Days,
            NoncurrentVersionExpirationDays = 1,
            PreventDestroy = true,
            AdditionalPolicyStatements =
            [
                Policy.Allow("AllowCloudTrailAclCheck", ["s3:GetBucketAcl"], [bucketArn], service, [fromTrail]),
                Policy.Allow("AllowCloudTrailWrite", ["s3:PutObject"], [$"{bucketArn}/AWSLogs/{context.AccountId}/*"], service,
                    [Policy.When("StringEquals", "s3:x-amz-acl", "bucket-owner-full-control"), fromTrail]),
            ],
        });
        Trail = new Cloudtrail(this, "trail", new CloudtrailConfig
        {
            Name = name,
            S3BucketName = Bucket.Name,
            KmsKeyId = Key.Arn,
            IsMultiRegionTrail = true,
            IncludeGlobalServiceEvents = true,
            EnableLogFileValidation = true,
            EnableLogging = true,
            // CreateTrail checks the bucket policy and the key policy (InsufficientS3BucketPolicyException otherwise).
            DependsOn = [Bucket.BucketPolicy, Key.Key],
        });
    }

    /// <summary>
    /// Deny statements for a role that may change most of the account but must not blind or rewrite its audit: stop,
    /// delete or reconfigure the trail; loosen, bypass or delete the bucket's lock, policy, versioning or objects; or
    /// disable, delete or re-policy the key.
    /// </summary>
    public IDataAwsIamPolicyDocumentStatement[] TamperDenies() =>
    [
        Deny("DenyAuditTrailChanges", [knownArn],
            "cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors",
            "cloudtrail:PutInsightSelectors"),
        Deny("DenyAuditBucketChanges", [Bucket.Arn, $"{Bucket.Arn}/*"],
            "s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketPolicy", "s3:PutBucketObjectLockConfiguration",
            "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning", "s3:PutEncryptionConfiguration", "s3:BypassGovernanceRetention",
            "s3:PutObjectRetention", "s3:PutObjectLegalHold", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject"),
        Deny("DenyAuditKeyChanges", [Key.Arn],
            "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DisableKeyRotation", "kms:PutKeyPolicy"),
    ];

    private static DataAwsIamPolicyDocumentStatement Deny(string sid, string[] resources, params string[] actions) =>
        new() { Sid = sid, Effect = "Deny", Actions = actions, Resources = resources };
}
