using MlopsTf.Constructs.Storage;

namespace MlopsTf.Tests.Constructs;

[Collection(JsiiCollection.Name)]
public class StorageAndKeyTests
{
    private static StackDocument Stack(string env) => SynthesizedApp.Instance.Document(env);

    public static TheoryData<string, string> KmsBuckets => new()
    {
        { "data-bucket", "data-key" }, { "models-bucket", "models-key" }, { "artifacts-bucket", "models-key" },
    };

    [Theory]
    [MemberData(nameof(KmsBuckets))]
    public void Platform_buckets_have_every_protection(string bucket, string key)
    {
        var stack = Stack("prod");
        var sse = stack.Resource("aws_s3_bucket_server_side_encryption_configuration", $"{bucket}/encryption")["rule"]![0]!;
        Assert.Equal("aws:kms", sse["apply_server_side_encryption_by_default"]!["sse_algorithm"]!.GetValue<string>());
        Assert.Equal($"${{{stack.Resource("aws_kms_key", $"{key}/key").Address}.arn}}", sse["apply_server_side_encryption_by_default"]!["kms_master_key_id"]!.GetValue<string>());
        Assert.Equal("Enabled", stack.Resource("aws_s3_bucket_versioning", $"{bucket}/versioning")["versioning_configuration"]!["status"]!.GetValue<string>());
        Assert.Equal("BucketOwnerEnforced", stack.Resource("aws_s3_bucket_ownership_controls", $"{bucket}/ownership")["rule"]!["object_ownership"]!.GetValue<string>());
        var pab = stack.Resource("aws_s3_bucket_public_access_block", $"{bucket}/public-access-block");
        Assert.All(new[] { "block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets" }, f => Assert.True(pab[f]!.GetValue<bool>(), f));
        Assert.Equal($"${{{stack.Resource("aws_s3_bucket", "access-logs-bucket/bucket").Address}.id}}",
            stack.Resource("aws_s3_bucket_logging", $"{bucket}/access-logging")["target_bucket"]!.GetValue<string>());
        var rules = stack.Resource("aws_s3_bucket_lifecycle_configuration", $"{bucket}/lifecycle")["rule"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();
        Assert.Contains("abort-incomplete-multipart-uploads", rules);
        Assert.Contains("expire-noncurrent-versions", rules);
        var sids = stack.Statements($"{bucket}/policy-document").Select(s => s!["sid"]!.GetValue<string>()).ToList();
        Assert.Equal(["DenyInsecureTransport", "DenyUploadsNotEncryptedWithKms"], sids);
    }

    [Fact]
    public void Data_bucket_tiers_to_intelligent_tiering()
    {
        var rules = Stack("dev").Resource("aws_s3_bucket_lifecycle_configuration", "data-bucket/lifecycle")["rule"]!.AsArray();
        var tiering = rules.Single(r => r!["id"]!.GetValue<string>() == "intelligent-tiering")!;
        Assert.Equal("INTELLIGENT_TIERING", tiering["transition"]![0]!["storage_class"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("dev", true, false)]
    [InlineData("staging", false, true)]
    [InlineData("prod", false, true)]
    public void Force_destroy_only_where_allowed_and_protection_where_required(string env, bool forceDestroy, bool preventDestroy)
    {
        foreach (var bucket in new[] { "data-bucket", "models-bucket", "artifacts-bucket" })
        {
            var b = Stack(env).Resource("aws_s3_bucket", $"{bucket}/bucket");
            Assert.Equal(forceDestroy, b["force_destroy"]!.GetValue<bool>());
            Assert.Equal(preventDestroy, b["lifecycle"]?["prevent_destroy"]?.GetValue<bool>() == true);
        }
    }

    [Theory]
    [InlineData("data-key")]
    [InlineData("models-key")]
    [InlineData("logs-key")]
    public void Keys_rotate_with_explicit_policies_and_no_wildcard_principal(string key)
    {
        var stack = Stack("dev");
        Assert.True(stack.Resource("aws_kms_key", $"{key}/key")["enable_key_rotation"]!.GetValue<bool>());
        var statements = stack.Statements($"{key}/policy");
        Assert.Equal("arn:aws:iam::111122223333:root", statements[0]!["principals"]![0]!["identifiers"]![0]!.GetValue<string>());
        Assert.DoesNotContain(statements.SelectMany(s => s!["principals"]!.AsArray()).SelectMany(p => p!["identifiers"]!.AsArray()), i => i!.GetValue<string>() == "*");
    }

    [Fact]
    public void Logs_key_lets_cloudwatch_logs_use_it_only_for_this_accounts_log_groups()
    {
        var statements = Stack("dev").Statements("logs-key/policy");
        var logs = statements.Single(s => s!["sid"]!.GetValue<string>() == "AllowCloudWatchLogs")!;
        Assert.Equal("logs.us-east-1.amazonaws.com", logs["principals"]![0]!["identifiers"]![0]!.GetValue<string>());
        Assert.Equal("kms:EncryptionContext:aws:logs:arn", logs["condition"]![0]!["variable"]!.GetValue<string>());
        Assert.Equal("arn:aws:logs:us-east-1:111122223333:log-group:*", logs["condition"]![0]!["values"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Grants_cover_s3_and_kms_scoped_to_the_prefix()
    {
        var stack = Stack("dev");
        var statements = JsonValues.BySid(stack.Statements("data-validation/role/read-data-bucket-raw-document"));
        Assert.Equal(["s3:GetObject", "s3:GetObjectVersion"], statements["ReadObjects"]["actions"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.EndsWith("/raw/*", statements["ReadObjects"]["resources"]![0]!.GetValue<string>());
        Assert.Equal(["kms:Decrypt", "kms:DescribeKey"], statements["UseBucketKey"]["actions"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public void Bucket_without_key_is_rejected_unless_it_is_a_log_bucket()
    {
        var stack = Scratch.Stack();
        Scratch.Rejects(() => new SecureBucket(stack, "b", new SecureBucketProps { BucketName = "bucket-one", ReceivesAccessLogs = true }),
            "SecureBucketProps.EncryptionKey", "bucket-one", "UseS3ManagedEncryptionForLogDelivery");
    }

    [Fact]
    public void Bucket_without_access_logging_is_rejected()
    {
        var stack = Scratch.Stack();
        Scratch.Rejects(() => new SecureBucket(stack, "b", new SecureBucketProps { BucketName = "bucket-two", EncryptionKey = Scratch.Key(stack) }),
            "SecureBucketProps.AccessLogBucket", "bucket-two");
    }

    [Fact]
    public void S3_managed_encryption_is_only_for_log_buckets()
    {
        var stack = Scratch.Stack();
        var logs = new SecureBucket(stack, "logs", new SecureBucketProps { BucketName = "logs-bucket", UseS3ManagedEncryptionForLogDelivery = true, ReceivesAccessLogs = true });
        Scratch.Rejects(() => new SecureBucket(stack, "b", new SecureBucketProps { BucketName = "data-x", UseS3ManagedEncryptionForLogDelivery = true, AccessLogBucket = logs }),
            "UseS3ManagedEncryptionForLogDelivery", "does not receive access logs");
        Scratch.Rejects(() => new SecureBucket(stack, "c", new SecureBucketProps { BucketName = "Bad_Name", EncryptionKey = Scratch.Key(stack, "k2"), AccessLogBucket = logs }),
            "SecureBucketProps.BucketName", "Bad_Name");
        Scratch.Rejects(() => new SecureBucket(stack, "d", new SecureBucketProps { BucketName = "data-y", EncryptionKey = Scratch.Key(stack, "k3"), AccessLogBucket = logs, NoncurrentVersionExpirationDays = 0 }),
            "NoncurrentVersionExpirationDays = 0");
    }

    [Fact]
    public void Key_with_invalid_deletion_window_or_alias_is_rejected()
    {
        var stack = Scratch.Stack();
        Scratch.Rejects(() => new CustomerManagedKey(stack, "k", new CustomerManagedKeyProps { Alias = "a", Description = "d", DeletionWindowInDays = 3 }),
            "DeletionWindowInDays = 3", "7 to 30");
        Scratch.Rejects(() => new CustomerManagedKey(stack, "k2", new CustomerManagedKeyProps { Alias = "alias/x", Description = "d" }),
            "CustomerManagedKeyProps.Alias", "alias/x");
    }

    [Fact]
    public void A_grant_the_role_already_holds_adds_no_policy()
    {
        var stack = Scratch.Stack();
        var logs = new SecureBucket(stack, "logs", new SecureBucketProps { BucketName = "logs-bucket", UseS3ManagedEncryptionForLogDelivery = true, ReceivesAccessLogs = true });
        var bucket = new SecureBucket(stack, "data", new SecureBucketProps { BucketName = "data-bucket", EncryptionKey = Scratch.Key(stack), AccessLogBucket = logs });
        var role = new ServiceRole(stack, "role", new ServiceRoleProps { RoleName = "r", Service = "sagemaker.amazonaws.com", Description = "d" });
        var other = new ServiceRole(stack, "other", new ServiceRoleProps { RoleName = "o", Service = "sagemaker.amazonaws.com", Description = "d" });
        bucket.GrantRead(role);
        bucket.GrantRead(role, "ground-truth/a/");
        bucket.GrantReadWrite(role, "capture/");
        bucket.GrantRead(role, "capture/x/");
        bucket.GrantRead(other, "ground-truth/a/");
        var doc = new StackDocument("scratch", JsonNode.Parse(Testing.Synth(stack))!.AsObject());
        Assert.Equal(["read-data", "read-data-ground-truth-a", "read-write-data-capture"],
            doc.Resources("aws_iam_role_policy").Select(p => p.String("name")!).Order());
    }
}
