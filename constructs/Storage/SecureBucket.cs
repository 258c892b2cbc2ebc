namespace MlopsTf.Constructs.Storage;

/// <summary>Props for <see cref="SecureBucket"/>.</summary>
public sealed record SecureBucketProps
{
    /// <summary>Bucket name (globally unique, 3-63 lower-case characters).</summary>
    public required string BucketName { get; init; }

    /// <summary>
    /// Customer managed key for default SSE-KMS encryption (with an S3 bucket key). Required unless
    /// <see cref="UseS3ManagedEncryptionForLogDelivery"/> is set.
    /// </summary>
    public CustomerManagedKey? EncryptionKey { get; init; }

    /// <summary>
    /// Opt-in: encrypt with S3-managed keys (SSE-S3) instead of KMS. Only for a bucket that receives S3 server access
    /// logs, because log delivery cannot write to an SSE-KMS bucket. Default: false.
    /// </summary>
    public bool UseS3ManagedEncryptionForLogDelivery { get; init; }

    /// <summary>Bucket that receives this bucket's server access logs. Required unless <see cref="ReceivesAccessLogs"/>.</summary>
    public SecureBucket? AccessLogBucket { get; init; }

    /// <summary>Whether this is an access-log bucket: it lets the S3 logging service write into it and does not log itself.</summary>
    public bool ReceivesAccessLogs { get; init; }

    /// <summary>Opt-in: let Terraform delete the bucket while it still holds objects. Default: false.</summary>
    public bool AllowForceDestroy { get; init; }

    /// <summary>Refuse any plan that destroys the bucket (<c>lifecycle.prevent_destroy</c>). Default: false.</summary>
    public bool PreventDestroy { get; init; }

    /// <summary>Days after which non-current object versions expire. Default: 90.</summary>
    public int NoncurrentVersionExpirationDays { get; init; } = 90;

    /// <summary>Days after which incomplete multipart uploads are aborted. Default: 7.</summary>
    public int AbortIncompleteMultipartUploadDays { get; init; } = 7;

    /// <summary>Days after which objects move to S3 Intelligent-Tiering; null keeps them in Standard. Default: null.</summary>
    public int? IntelligentTieringAfterDays { get; init; }

    /// <summary>Days after which current objects expire (e.g. for logs); null keeps them. Default: null.</summary>
    public int? ExpireObjectsAfterDays { get; init; }

    /// <summary>Extra statements for the bucket policy (e.g. cross-account read). Default: none.</summary>
    public IReadOnlyList<IDataAwsIamPolicyDocumentStatement> AdditionalPolicyStatements { get; init; } = [];

    /// <summary>
    /// S3 Object Lock with a default retention for every new object version (write once, read many), e.g. for audit
    /// logs. Object Lock cannot be turned off once on, and a bucket with it cannot receive server access logs.
    /// Default: null (no lock).
    /// </summary>
    public ObjectLockRetention? ObjectLock { get; init; }
}

/// <summary>How S3 Object Lock protects new object versions by default.</summary>
public enum ObjectLockMode
{
    /// <summary>Nobody can shorten or remove the retention, not even the account root, until it ends.</summary>
    Compliance,

    /// <summary>Principals with <c>s3:BypassGovernanceRetention</c> can remove it (a break-glass path); others cannot.</summary>
    Governance,
}

/// <summary>Default Object Lock retention: <paramref name="Mode"/> for <paramref name="Days"/> days after each version is written.</summary>
public sealed record ObjectLockRetention(ObjectLockMode Mode, int Days)
{
    /// <summary>S3's longest default retention: 100 years.</summary>
    public const int MaxDays = 36500;
}

/// <summary>
/// An S3 bucket with every protection on: versioning, default encryption (SSE-KMS with a customer key and bucket key),
/// a full public access block, BucketOwnerEnforced ownership, a TLS-only policy that also refuses uploads asking for
/// another encryption, server access logging, and lifecycle rules.
/// </summary>
public sealed class SecureBucket : Construct
{
    /// <summary>The bucket resource.</summary>
    public S3Bucket Bucket { get; }

    /// <summary>The bucket policy (TLS only, and log delivery for log buckets).</summary>
    public S3BucketPolicy BucketPolicy { get; }

    /// <summary>The key that encrypts the bucket, if it is SSE-KMS.</summary>
    public CustomerManagedKey? EncryptionKey { get; }

    /// <summary>Whether this bucket receives other buckets' server access logs.</summary>
    public bool ReceivesAccessLogs { get; }

    /// <summary>Bucket name.</summary>
    public string Name => field ??= Bucket.Bucket;

    /// <summary>Bucket ARN.</summary>
    public string Arn => field ??= Bucket.Arn;

    /// <summary>Creates the bucket and its configuration resources.</summary>
    public SecureBucket(Construct scope, string id, SecureBucketProps props) : base(scope, id)
    {
        Validate(props);
        EncryptionKey = props.EncryptionKey;
        ReceivesAccessLogs = props.ReceivesAccessLogs;

        Bucket = new S3Bucket(this, "bucket", new S3BucketConfig
        {
            Bucket = props.BucketName,
            ForceDestroy = props.AllowForceDestroy,
            ObjectLockEnabled = props.ObjectLock is not null ? true : null,
            Lifecycle = props.PreventDestroy ? new TerraformResourceLifecycle { PreventDestroy = true } : null,
        });
        if (props.ReceivesAccessLogs)
        {
            Waivers.Waive(Bucket, "MLOPSTF-S3-003", "S3 server access log delivery cannot write to SSE-KMS buckets; this log bucket uses SSE-S3");
            Waivers.Waive(Bucket, "MLOPSTF-S3-004", "this is the access-log bucket; logging it into itself would loop");
        }

        new S3BucketPublicAccessBlock(this, "public-access-block", new S3BucketPublicAccessBlockConfig
        {
            Bucket = Bucket.Id,
            BlockPublicAcls = true,
            BlockPublicPolicy = true,
            IgnorePublicAcls = true,
            RestrictPublicBuckets = true,
        });
        new S3BucketOwnershipControls(this, "ownership", new S3BucketOwnershipControlsConfig
        {
            Bucket = Bucket.Id,
            Rule = new S3BucketOwnershipControlsRule { ObjectOwnership = "BucketOwnerEnforced" },
        });
        var versioning = new S3BucketVersioningA(this, "versioning", new S3BucketVersioningAConfig
        {
            Bucket = Bucket.Id,
            VersioningConfiguration = new S3BucketVersioningVersioningConfiguration { Status = "Enabled" },
        });
        new S3BucketServerSideEncryptionConfigurationA(this, "encryption", new S3BucketServerSideEncryptionConfigurationAConfig
        {
            Bucket = Bucket.Id,
            Rule = new IS3BucketServerSideEncryptionConfigurationRuleA[]
            {
                new S3BucketServerSideEncryptionConfigurationRuleA
                {
                    ApplyServerSideEncryptionByDefault = props.EncryptionKey is { } key
                        ? new S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA { SseAlgorithm = "aws:kms", KmsMasterKeyId = key.Arn }
                        : new S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA { SseAlgorithm = "AES256" },
                    BucketKeyEnabled = props.EncryptionKey is not null,
                },
            },
        });
        if (props.ObjectLock is { } retention)
        {
            new S3BucketObjectLockConfigurationA(this, "object-lock", new S3BucketObjectLockConfigurationAConfig
            {
                Bucket = Bucket.Id,
                Rule = new S3BucketObjectLockConfigurationRuleA
                {
                    DefaultRetention = new S3BucketObjectLockConfigurationRuleDefaultRetentionA
                    {
                        Mode = retention.Mode == ObjectLockMode.Compliance ? "COMPLIANCE" : "GOVERNANCE",
                        Days = retention.Days,
                    },
                },
                // S3 takes an Object Lock configuration only while versioning is on, also the provider's removal of it
                // on destroy: created after versioning, it is destroyed before.
                DependsOn = [versioning],
            });
        }
        new S3BucketLifecycleConfiguration(this, "lifecycle", new S3BucketLifecycleConfigurationConfig
        {
            Bucket = Bucket.Id,
            Rule = LifecycleRules(props),
        });

        var policy = Policy.Document(this, "policy-document", [.. PolicyStatements(props)]);
        BucketPolicy = new S3BucketPolicy(this, "policy", new S3BucketPolicyConfig { Bucket = Bucket.Id, Policy = policy.Json });
        if (props.AccessLogBucket is { } logs)
        {
            new S3BucketLoggingA(this, "access-logging", new S3BucketLoggingAConfig
            {
                Bucket = Bucket.Id,
                TargetBucket = logs.Bucket.Id,
                TargetPrefix = $"{props.BucketName}/",
                // S3 refuses PutBucketLogging until the target's policy lets the logging service write.
                DependsOn = [logs.BucketPolicy],
            });
        }
    }

    /// <summary>Lets <paramref name="role"/> list the bucket and read objects under <paramref name="prefix"/>, and decrypt them.</summary>
    public void GrantRead(IGrantable role, string prefix = "") => Grant(role, prefix, write: false);

    /// <summary>Lets <paramref name="role"/> read and write objects under <paramref name="prefix"/>, encrypting with the bucket's key.</summary>
    public void GrantReadWrite(IGrantable role, string prefix = "") => Grant(role, prefix, write: true);

    private readonly List<(IGrantable Role, string Prefix, bool Write)> _grants = [];

    private void Grant(IGrantable role, string prefix, bool write)
    {
        // A role that may already read (or write) a prefix covering this one gains nothing from another policy, and
        // every policy counts against IAM's 10,240-character quota for the role's inline policies (MLOPSTF-AWS-036).
        if (_grants.Any(g => ReferenceEquals(g.Role, role) && prefix.StartsWith(g.Prefix, StringComparison.Ordinal) && (g.Write || !write))) return;
        _grants.Add((role, prefix, write));
        var objects = $"{Arn}/{prefix}*";
        var statements = new List<IDataAwsIamPolicyDocumentStatement>
        {
            Policy.Allow("ListBucket", ["s3:ListBucket", "s3:GetBucketLocation"], [Arn]),
            Policy.Allow(write ? "ReadWriteObjects" : "ReadObjects",
                write
                    ? ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
                    : ["s3:GetObject", "s3:GetObjectVersion"],
                [objects]),
        };
        if (EncryptionKey is { } key) statements.Add(key.Allow("UseBucketKey", write ? KeyUse.EncryptDecrypt : KeyUse.Decrypt));
        var scope = prefix.Trim('/').Replace('/', '-');
        role.AddPolicy($"{(write ? "read-write" : "read")}-{Node.Id}{(scope.Length > 0 ? "-" + scope : "")}", [.. statements]);
    }

    private static void Validate(SecureBucketProps p)
    {
        if (p.EncryptionKey is null && !p.UseS3ManagedEncryptionForLogDelivery)
            throw new ArgumentException($"SecureBucketProps.EncryptionKey is null for bucket \"{p.BucketName}\": pass a CustomerManagedKey (SSE-KMS), or set UseS3ManagedEncryptionForLogDelivery for an access-log bucket.");
        if (p.EncryptionKey is not null && p.UseS3ManagedEncryptionForLogDelivery)
            throw new ArgumentException($"SecureBucketProps.UseS3ManagedEncryptionForLogDelivery is set for bucket \"{p.BucketName}\" together with an EncryptionKey: choose one; log buckets cannot use SSE-KMS.");
        if (p.ReceivesAccessLogs && p.EncryptionKey is not null)
            throw new ArgumentException($"SecureBucketProps.EncryptionKey is set for access-log bucket \"{p.BucketName}\": S3 log delivery cannot write to SSE-KMS buckets; set UseS3ManagedEncryptionForLogDelivery instead.");
        if (p.UseS3ManagedEncryptionForLogDelivery && !p.ReceivesAccessLogs)
            throw new ArgumentException($"SecureBucketProps.UseS3ManagedEncryptionForLogDelivery is set for bucket \"{p.BucketName}\", which does not receive access logs: only log buckets may skip KMS; pass an EncryptionKey.");
        if (p.AccessLogBucket is null && !p.ReceivesAccessLogs)
            throw new ArgumentException($"SecureBucketProps.AccessLogBucket is null for bucket \"{p.BucketName}\": every bucket logs its access; pass the log bucket (or set ReceivesAccessLogs for the log bucket itself).");
        if (p.AccessLogBucket is { ReceivesAccessLogs: false } target)
            throw new ArgumentException($"SecureBucketProps.AccessLogBucket for bucket \"{p.BucketName}\" is \"{target.Node.Path}\", which does not receive access logs: create the log bucket with ReceivesAccessLogs = true.");
        if (p.BucketName.Length is < 3 or > 63 || p.BucketName.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')))
            throw new ArgumentException($"SecureBucketProps.BucketName = \"{p.BucketName}\": S3 names are 3-63 lower-case letters, digits, '-' or '.'.");
        if (p.NoncurrentVersionExpirationDays < 1)
            throw new ArgumentException($"SecureBucketProps.NoncurrentVersionExpirationDays = {p.NoncurrentVersionExpirationDays}: must be at least 1 day.");
        if (p.AbortIncompleteMultipartUploadDays < 1)
            throw new ArgumentException($"SecureBucketProps.AbortIncompleteMultipartUploadDays = {p.AbortIncompleteMultipartUploadDays}: must be at least 1 day.");
        if (p.IntelligentTieringAfterDays is < 0)
            throw new ArgumentException($"SecureBucketProps.IntelligentTieringAfterDays = {p.IntelligentTieringAfterDays}: must be 0 or more days, or null.");
        if (p.ObjectLock is { } lockRetention)
        {
            if (lockRetention.Days is < 1 or > ObjectLockRetention.MaxDays)
                throw new ArgumentException($"SecureBucketProps.ObjectLock.Days = {lockRetention.Days} for bucket \"{p.BucketName}\": S3 accepts a default retention of 1 to {ObjectLockRetention.MaxDays} days.");
            if (p.ReceivesAccessLogs)
                throw new ArgumentException($"SecureBucketProps.ObjectLock is set for access-log bucket \"{p.BucketName}\": S3 cannot deliver server access logs to a bucket with Object Lock; lock another bucket.");
            if (p.ExpireObjectsAfterDays is { } expire && expire < lockRetention.Days)
                throw new ArgumentException($"SecureBucketProps.ExpireObjectsAfterDays = {expire} for bucket \"{p.BucketName}\" is shorter than its Object Lock retention of {lockRetention.Days} days: the objects would vanish from view while still locked; expire after {lockRetention.Days} days or more.");
            if (p.AllowForceDestroy)
                throw new ArgumentException($"SecureBucketProps.AllowForceDestroy is set for bucket \"{p.BucketName}\" with Object Lock: locked versions cannot be deleted before their retention ends, so a forced destroy fails; leave AllowForceDestroy off.");
        }
        if (p.ExpireObjectsAfterDays is < 1)
            throw new ArgumentException($"SecureBucketProps.ExpireObjectsAfterDays = {p.ExpireObjectsAfterDays}: must be at least 1 day, or null.");
    }

    private static IS3BucketLifecycleConfigurationRule[] LifecycleRules(SecureBucketProps p)
    {
        static IS3BucketLifecycleConfigurationRuleFilter[] All() => [new S3BucketLifecycleConfigurationRuleFilter { Prefix = "" }];
        var rules = new List<IS3BucketLifecycleConfigurationRule>
        {
            new S3BucketLifecycleConfigurationRule
            {
                Id = "abort-incomplete-multipart-uploads",
                Status = "Enabled",
                Filter = All(),
                AbortIncompleteMultipartUpload = new IS3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload[]
                {
                    new S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = p.AbortIncompleteMultipartUploadDays },
                },
            },
            new S3BucketLifecycleConfigurationRule
            {
                Id = "expire-noncurrent-versions",
                Status = "Enabled",
                Filter = All(),
                NoncurrentVersionExpiration = new IS3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration[]
                {
                    new S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration { NoncurrentDays = p.NoncurrentVersionExpirationDays },
                },
            },
        };
        if (p.IntelligentTieringAfterDays is { } tierDays)
        {
            rules.Add(new S3BucketLifecycleConfigurationRule
            {
                Id = "intelligent-tiering",
                Status = "Enabled",
                Filter = All(),
                Transition = new IS3BucketLifecycleConfigurationRuleTransition[]
                {
                    new S3BucketLifecycleConfigurationRuleTransition { Days = tierDays, StorageClass = "INTELLIGENT_TIERING" },
                },
            });
        }
        if (p.ExpireObjectsAfterDays is { } expireDays)
        {
            rules.Add(new S3BucketLifecycleConfigurationRule
            {
                Id = "expire-objects",
                Status = "Enabled",
                Filter = All(),
                Expiration = new IS3BucketLifecycleConfigurationRuleExpiration[]
                {
                    new S3BucketLifecycleConfigurationRuleExpiration { Days = expireDays },
                },
            });
        }
        return [.. rules];
    }

    private List<IDataAwsIamPolicyDocumentStatement> PolicyStatements(SecureBucketProps p)
    {
        string[] bucketAndObjects = [Arn, $"{Arn}/*"];
        var statements = new List<IDataAwsIamPolicyDocumentStatement>
        {
            Policy.Deny("DenyInsecureTransport", ["s3:*"], bucketAndObjects,
                [Policy.When("Bool", "aws:SecureTransport", "false")], Policy.Everyone()),
        };
        if (p.EncryptionKey is not null)
        {
            // Uploads without the header get the bucket's default SSE-KMS; uploads asking for anything else are refused.
            statements.Add(Policy.Deny("DenyUploadsNotEncryptedWithKms", ["s3:PutObject"], [$"{Arn}/*"],
            [
                Policy.When("Null", "s3:x-amz-server-side-encryption", "false"),
                Policy.When("StringNotEquals", "s3:x-amz-server-side-encryption", "aws:kms"),
            ], Policy.Everyone()));
        }
        if (p.ReceivesAccessLogs)
        {
            statements.Add(Policy.Allow("AllowS3ServerAccessLogDelivery", ["s3:PutObject"], [$"{Arn}/*"],
                Policy.Principal("Service", "logging.s3.amazonaws.com"),
                [Policy.When("StringEquals", "aws:SourceAccount", StackContext.Of(this).AccountId)]));
        }
        statements.AddRange(p.AdditionalPolicyStatements);
        return statements;
    }
}
