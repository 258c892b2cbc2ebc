using MlopsTf.Constructs.Storage;

namespace MlopsTf.Tests.Constructs;

[Collection(JsiiCollection.Name)]
public class AuditTrailTests
{
    public static TheoryData<string, string> Bootstraps => new()
    {
        { "bootstrap-dev", "111122223333" }, { "bootstrap-staging", "444455556666" }, { "bootstrap-prod", "777788889999" },
    };

    [Theory]
    [MemberData(nameof(Bootstraps))]
    public void Each_account_has_a_multi_region_validated_trail_encrypted_with_its_own_key(string stackName, string account)
    {
        var stack = SynthesizedApp.Instance.Document(stackName);
        var trail = stack.Resource("aws_cloudtrail", "audit-trail/trail");
        Assert.True(trail.True("is_multi_region_trail"));
        Assert.True(trail.True("include_global_service_events"));
        Assert.True(trail.True("enable_log_file_validation"));
        Assert.True(trail.True("enable_logging"));
        Assert.Equal($"${{{stack.Resource("aws_kms_key", "audit-trail/key/key").Address}.arn}}", trail.String("kms_key_id"));
        Assert.Equal($"${{{stack.Resource("aws_s3_bucket", "audit-trail/bucket/bucket").Address}.bucket}}", trail.String("s3_bucket_name"));
        var env = stackName["bootstrap-".Length..];
        Assert.Equal($"mlopstf-{env}-audit", trail.String("name"));
        Assert.Equal($"mlopstf-{env}-audit-{account}", stack.Resource("aws_s3_bucket", "audit-trail/bucket/bucket").String("bucket"));
    }

    [Theory]
    [MemberData(nameof(Bootstraps))]
    public void The_bucket_locks_every_log_file_for_a_year_and_keeps_it_no_longer(string stackName, string account)
    {
        _ = account;
        var stack = SynthesizedApp.Instance.Document(stackName);
        Assert.True(stack.Resource("aws_s3_bucket", "audit-trail/bucket/bucket").True("object_lock_enabled"));
        var retention = stack.Resource("aws_s3_bucket_object_lock_configuration", "audit-trail/bucket/object-lock")["rule"]!["default_retention"]!;
        Assert.Equal(("GOVERNANCE", 365), (retention["mode"]!.GetValue<string>(), retention["days"]!.GetValue<int>()));
        // S3 refuses an Object Lock configuration (also the provider's removal of it on destroy) on a bucket without
        // versioning: make e2e's bootstrap destroy failed when parallel destroys suspended versioning first.
        var versioning = stack.Resource("aws_s3_bucket_versioning", "audit-trail/bucket/versioning");
        Assert.Equal([versioning.Address], JsonValues.Strings(stack.Resource("aws_s3_bucket_object_lock_configuration", "audit-trail/bucket/object-lock")["depends_on"]));
        var rules = stack.Resource("aws_s3_bucket_lifecycle_configuration", "audit-trail/bucket/lifecycle")["rule"]!.AsArray();
        var expire = rules.Single(r => r!["id"]!.GetValue<string>() == "expire-objects")!;
        Assert.Equal(365, expire["expiration"]![0]!["days"]!.GetValue<int>());
        Assert.True(stack.Resource("aws_s3_bucket", "audit-trail/bucket/bucket")["lifecycle"]!["prevent_destroy"]!.GetValue<bool>());
    }

    [Theory]
    [MemberData(nameof(Bootstraps))]
    public void Key_and_bucket_policies_name_this_trail_as_the_only_source(string stackName, string account)
    {
        var stack = SynthesizedApp.Instance.Document(stackName);
        var trailArn = $"arn:aws:cloudtrail:us-east-1:{account}:trail/{stack.Resource("aws_cloudtrail", "audit-trail/trail").String("name")}";
        var key = BySid(stack.Statements("audit-trail/key/policy"));
        Assert.Equal(["kms:GenerateDataKey*"], JsonValues.Strings(key["AllowCloudTrailEncryptLogs"]["actions"]));
        Assert.Equal(trailArn, Condition(key["AllowCloudTrailEncryptLogs"], "aws:SourceArn"));
        Assert.Equal($"arn:aws:cloudtrail:*:{account}:trail/*", Condition(key["AllowCloudTrailEncryptLogs"], "kms:EncryptionContext:aws:cloudtrail:arn"));
        Assert.Equal(trailArn, Condition(key["AllowCloudTrailDescribeKey"], "aws:SourceArn"));
        var bucket = BySid(stack.Statements("audit-trail/bucket/policy-document"));
        Assert.Equal(trailArn, Condition(bucket["AllowCloudTrailAclCheck"], "aws:SourceArn"));
        Assert.Equal(trailArn, Condition(bucket["AllowCloudTrailWrite"], "aws:SourceArn"));
        Assert.Equal("bucket-owner-full-control", Condition(bucket["AllowCloudTrailWrite"], "s3:x-amz-acl"));
        Assert.EndsWith($"/AWSLogs/{account}/*", JsonValues.Strings(bucket["AllowCloudTrailWrite"]["resources"]).Single());
        Assert.Contains("DenyInsecureTransport", bucket.Keys);
    }

    [Fact]
    public void The_apply_role_cannot_stop_the_trail_or_loosen_its_bucket_and_key()
    {
        var stack = SynthesizedApp.Instance.Document("bootstrap-dev");
        var policy = stack.Resource("aws_iam_role_policy", "apply-role-audit");
        Assert.Equal("deny-audit-trail-tampering", policy.String("name"));
        var denies = BySid(stack.Statements("apply-audit-deny-policy"));
        Assert.All(denies.Values, d => Assert.Equal("Deny", d["effect"]!.GetValue<string>()));
        Assert.Contains("cloudtrail:StopLogging", JsonValues.Strings(denies["DenyAuditTrailChanges"]["actions"]));
        Assert.Contains("s3:BypassGovernanceRetention", JsonValues.Strings(denies["DenyAuditBucketChanges"]["actions"]));
        Assert.Contains("kms:ScheduleKeyDeletion", JsonValues.Strings(denies["DenyAuditKeyChanges"]["actions"]));
    }

    [Theory]
    [InlineData("a", "AuditTrailProps.TrailName = \"a\"")]
    [InlineData("-audit", "AuditTrailProps.TrailName = \"-audit\"")]
    [InlineData("audit..trail", "AuditTrailProps.TrailName = \"audit..trail\"")]
    [InlineData("audit trail", "AuditTrailProps.TrailName = \"audit trail\"")]
    public void Names_CloudTrail_refuses_are_refused(string name, string message)
    {
        var stack = Scratch.Stack();
        var logs = LogBucket(stack);
        Scratch.Rejects(() => new AuditTrail(stack, "trail", new AuditTrailProps { AccessLogBucket = logs, TrailName = name }), message, "letters, digits");
    }

    [Theory]
    [InlineData(0, "SecureBucketProps.ObjectLock.Days = 0", "1 to 36500 days")]
    [InlineData(36501, "SecureBucketProps.ObjectLock.Days = 36501", "1 to 36500 days")]
    public void Retention_outside_what_S3_accepts_is_refused(int days, string field, string fix)
    {
        var stack = Scratch.Stack();
        var logs = LogBucket(stack);
        Scratch.Rejects(() => new AuditTrail(stack, "trail", new AuditTrailProps { AccessLogBucket = logs, Retention = new(ObjectLockMode.Compliance, days) }), field, fix);
    }

    [Fact]
    public void Object_lock_refuses_log_buckets_short_expiry_and_force_destroy()
    {
        var stack = Scratch.Stack();
        var logs = LogBucket(stack);
        var key = Scratch.Key(stack);
        var locked = new ObjectLockRetention(ObjectLockMode.Governance, 30);
        Scratch.Rejects(() => new SecureBucket(stack, "b1", new SecureBucketProps
        {
            BucketName = "t-logs-2", UseS3ManagedEncryptionForLogDelivery = true, ReceivesAccessLogs = true, ObjectLock = locked,
        }), "SecureBucketProps.ObjectLock is set for access-log bucket \"t-logs-2\"", "cannot deliver server access logs");
        Scratch.Rejects(() => new SecureBucket(stack, "b2", new SecureBucketProps
        {
            BucketName = "t-b2", EncryptionKey = key, AccessLogBucket = logs, ObjectLock = locked, ExpireObjectsAfterDays = 10,
        }), "SecureBucketProps.ExpireObjectsAfterDays = 10", "expire after 30 days or more");
        Scratch.Rejects(() => new SecureBucket(stack, "b3", new SecureBucketProps
        {
            BucketName = "t-b3", EncryptionKey = key, AccessLogBucket = logs, ObjectLock = locked, AllowForceDestroy = true,
        }), "SecureBucketProps.AllowForceDestroy is set for bucket \"t-b3\" with Object Lock", "leave AllowForceDestroy off");
    }

    private static SecureBucket LogBucket(TerraformStack stack) => new(stack, "logs", new SecureBucketProps
    {
        BucketName = "t-logs", UseS3ManagedEncryptionForLogDelivery = true, ReceivesAccessLogs = true,
    });

    private static Dictionary<string, JsonNode> BySid(JsonArray statements) => JsonValues.BySid(statements);

    private static string Condition(JsonNode statement, string variable) =>
        statement["condition"]!.AsArray().Single(c => c!["variable"]!.GetValue<string>() == variable)!["values"]![0]!.GetValue<string>();
}
