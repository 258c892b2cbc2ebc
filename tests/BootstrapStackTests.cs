using System.Text.Json.Nodes;
using MlopsTf.Environments;
using MlopsTf.Tests.Support;

namespace MlopsTf.Tests;

[Collection(JsiiCollection.Name)]
public class BootstrapStackTests
{
    public static TheoryData<string> Environments => new(Platform.Environments.Select(e => e.Name));

    private static JsonObject Stack(string env) => SynthesizedApp.Instance.Stack($"bootstrap-{env}");

    private static EnvironmentConfig Config(string env) => Platform.Environments.Single(e => e.Name == env);

    [Theory]
    [MemberData(nameof(Environments))]
    public void Bootstrap_keeps_its_state_in_its_own_bucket_and_the_same_provider_lock(string env)
    {
        var stack = Stack(env);
        var cfg = Config(env);
        var s3 = stack["terraform"]!["backend"]!["s3"]!;
        Assert.Equal(cfg.StateBackend.Bucket, s3["bucket"]!.GetValue<string>());
        Assert.Equal("bootstrap/terraform.tfstate", s3["key"]!.GetValue<string>());
        Assert.True(s3["use_lockfile"]!.GetValue<bool>());
        Assert.True(s3["encrypt"]!.GetValue<bool>());
        Assert.Equal(cfg.StateBackend.LockTable, s3["dynamodb_table"]!.GetValue<string>());
        Assert.Equal([cfg.AccountId], stack["provider"]!["aws"]![0]!["allowed_account_ids"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("bootstrap", stack["provider"]!["aws"]![0]!["default_tags"]![0]!["tags"]!["Stack"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Access_logging_waits_for_the_log_bucket_policy(string env)
    {
        var stack = Stack(env);
        var logging = StackJson.Resource(stack, "aws_s3_bucket_logging", "state-bucket/access-logging");
        Assert.Equal([StackJson.Address(stack, "aws_s3_bucket_policy", "state-access-logs/policy")],
            logging["depends_on"]!.AsArray().Select(d => d!.GetValue<string>()));
        var logStatements = StackJson.Statements(stack, "state-access-logs/policy-document");
        var delivery = logStatements.Single(s => s!["sid"]!.GetValue<string>() == "AllowS3ServerAccessLogDelivery")!;
        Assert.Equal("logging.s3.amazonaws.com", delivery["principals"]![0]!["identifiers"]![0]!.GetValue<string>());
        Assert.Equal(Config(env).AccountId, delivery["condition"]![0]!["values"]![0]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void State_bucket_is_versioned_kms_encrypted_private_owner_enforced_and_protected(string env)
    {
        var stack = Stack(env);
        var bucket = StackJson.Resource(stack, "aws_s3_bucket", "state-bucket/bucket");
        Assert.Equal(Config(env).StateBackend.Bucket, bucket["bucket"]!.GetValue<string>());
        Assert.True(bucket["lifecycle"]!["prevent_destroy"]!.GetValue<bool>());
        Assert.False(bucket["force_destroy"]!.GetValue<bool>());
        var bucketId = StackJson.Ref(stack, "aws_s3_bucket", "state-bucket/bucket", "id");

        var versioning = StackJson.Resource(stack, "aws_s3_bucket_versioning", "state-bucket/versioning");
        Assert.Equal(bucketId, versioning["bucket"]!.GetValue<string>());
        Assert.Equal("Enabled", versioning["versioning_configuration"]!["status"]!.GetValue<string>());

        var sse = StackJson.Resource(stack, "aws_s3_bucket_server_side_encryption_configuration", "state-bucket/encryption")["rule"]![0]!;
        Assert.Equal("aws:kms", sse["apply_server_side_encryption_by_default"]!["sse_algorithm"]!.GetValue<string>());
        Assert.Equal(StackJson.Ref(stack, "aws_kms_key", "state-key/key", "arn"), sse["apply_server_side_encryption_by_default"]!["kms_master_key_id"]!.GetValue<string>());
        Assert.True(sse["bucket_key_enabled"]!.GetValue<bool>());

        var pab = StackJson.Resource(stack, "aws_s3_bucket_public_access_block", "state-bucket/public-access-block");
        foreach (var flag in new[] { "block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets" })
            Assert.True(pab[flag]!.GetValue<bool>(), flag);

        Assert.Equal("BucketOwnerEnforced", StackJson.Resource(stack, "aws_s3_bucket_ownership_controls", "state-bucket/ownership")["rule"]!["object_ownership"]!.GetValue<string>());

        var logging = StackJson.Resource(stack, "aws_s3_bucket_logging", "state-bucket/access-logging");
        Assert.Equal(StackJson.Ref(stack, "aws_s3_bucket", "state-access-logs/bucket", "id"), logging["target_bucket"]!.GetValue<string>());

        var rules = StackJson.Resource(stack, "aws_s3_bucket_lifecycle_configuration", "state-bucket/lifecycle")["rule"]!.AsArray();
        Assert.Contains(rules, r => r!["noncurrent_version_expiration"]?[0]?["noncurrent_days"]?.GetValue<double>() == 90);
        Assert.Contains(rules, r => r!["abort_incomplete_multipart_upload"]?[0]?["days_after_initiation"]?.GetValue<double>() == 7);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void State_bucket_policy_denies_insecure_transport(string env)
    {
        var statements = StackJson.Statements(Stack(env), "state-bucket/policy-document");
        var tls = statements.Single(s => s!["sid"]!.GetValue<string>() == "DenyInsecureTransport")!;
        Assert.Equal("Deny", tls["effect"]!.GetValue<string>());
        Assert.Equal("aws:SecureTransport", tls["condition"]![0]!["variable"]!.GetValue<string>());
        Assert.Equal("false", tls["condition"]![0]!["values"]![0]!.GetValue<string>());
        Assert.DoesNotContain(statements, s => s!["effect"]!.GetValue<string>() == "Allow" && s["principals"]?[0]?["identifiers"]?.AsArray().Any(i => i!.GetValue<string>() == "*") == true);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void State_key_rotates_and_its_policy_names_the_account_root(string env)
    {
        var stack = Stack(env);
        var key = StackJson.Resource(stack, "aws_kms_key", "state-key/key");
        Assert.True(key["enable_key_rotation"]!.GetValue<bool>());
        Assert.Equal(StackJson.DataRef(stack, "aws_iam_policy_document", "state-key/policy", "json"), key["policy"]!.GetValue<string>());
        var principal = StackJson.Statements(stack, "state-key/policy")[0]!["principals"]![0]!;
        Assert.Equal("AWS", principal["type"]!.GetValue<string>());
        Assert.Equal($"arn:aws:iam::{Config(env).AccountId}:root", principal["identifiers"]![0]!.GetValue<string>());
        Assert.Equal("alias/terraform-state", StackJson.Resource(stack, "aws_kms_alias", "state-key/alias")["name"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Lock_table_has_lockid_on_demand_pitr_kms_and_deletion_protection(string env)
    {
        var stack = Stack(env);
        var table = StackJson.Resource(stack, "aws_dynamodb_table", "lock-table");
        Assert.Equal("mlopstf-tflock", table["name"]!.GetValue<string>());
        Assert.Equal("LockID", table["hash_key"]!.GetValue<string>());
        Assert.Equal("S", table["attribute"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("PAY_PER_REQUEST", table["billing_mode"]!.GetValue<string>());
        Assert.True(table["point_in_time_recovery"]!["enabled"]!.GetValue<bool>());
        Assert.True(table["server_side_encryption"]!["enabled"]!.GetValue<bool>());
        Assert.Equal(StackJson.Ref(stack, "aws_kms_key", "state-key/key", "arn"), table["server_side_encryption"]!["kms_key_arn"]!.GetValue<string>());
        Assert.True(table["deletion_protection_enabled"]!.GetValue<bool>());
        Assert.True(table["lifecycle"]!["prevent_destroy"]!.GetValue<bool>());
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Oidc_trust_pins_audience_repository_and_environment(string env)
    {
        var stack = Stack(env);
        var oidc = StackJson.Resource(stack, "aws_iam_openid_connect_provider", "github-oidc");
        Assert.Equal("https://token.actions.githubusercontent.com", oidc["url"]!.GetValue<string>());
        Assert.Equal(["sts.amazonaws.com"], oidc["client_id_list"]!.AsArray().Select(v => v!.GetValue<string>()));

        var trust = Assert.Single(StackJson.Statements(stack, "github-trust"))!;
        Assert.Equal(["sts:AssumeRoleWithWebIdentity"], trust["actions"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(StackJson.Ref(stack, "aws_iam_openid_connect_provider", "github-oidc", "arn"), trust["principals"]![0]!["identifiers"]![0]!.GetValue<string>());
        var conditions = trust["condition"]!.AsArray().ToDictionary(c => c!["variable"]!.GetValue<string>(), c => c!);
        Assert.Equal("StringEquals", conditions["token.actions.githubusercontent.com:aud"]["test"]!.GetValue<string>());
        Assert.Equal("sts.amazonaws.com", conditions["token.actions.githubusercontent.com:aud"]["values"]![0]!.GetValue<string>());
        var sub = conditions["token.actions.githubusercontent.com:sub"];
        Assert.Equal("StringEquals", sub["test"]!.GetValue<string>());
        Assert.Equal([$"repo:acme-ml/mlops-platform:environment:{env}"], sub["values"]!.AsArray().Select(v => v!.GetValue<string>()));

        foreach (var role in new[] { "plan-role", "apply-role" })
            Assert.Equal(StackJson.DataRef(stack, "aws_iam_policy_document", "github-trust", "json"),
                StackJson.Resource(stack, "aws_iam_role", role)["assume_role_policy"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Ci_roles_have_no_administrator_or_iam_full_access(string env)
    {
        var stack = Stack(env);
        var attached = StackJson.Resources(stack, "aws_iam_role_policy_attachment").Values.Select(a => a["policy_arn"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"], attached);
        Assert.DoesNotContain(StackJson.DataSources(stack, "aws_iam_policy_document").Values
            .SelectMany(d => d["statement"]!.AsArray())
            .Where(s => s!["effect"]?.GetValue<string>() == "Allow")
            .SelectMany(s => s!["actions"]!.AsArray().Select(a => a!.GetValue<string>()))
            .Where(a => a != "kms:*"), a => a == "*" || a == "iam:*" || a.EndsWith(":*", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Plan_role_may_read_state_and_lock_but_not_write_state(string env)
    {
        var stack = Stack(env);
        var statements = StackJson.Statements(stack, "plan-state-policy").ToDictionary(s => s!["sid"]!.GetValue<string>(), s => s!);
        Assert.Equal(["s3:GetObject"], statements["ReadState"]["actions"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.EndsWith($"/envs/{env}/terraform.tfstate", statements["ReadState"]["resources"]![0]!.GetValue<string>());
        Assert.Contains("s3:PutObject", statements["S3NativeLockFile"]["actions"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.EndsWith(".tflock", statements["S3NativeLockFile"]["resources"]![0]!.GetValue<string>());
        Assert.Contains("dynamodb:PutItem", statements["DynamoDbLock"]["actions"]!.AsArray().Select(a => a!.GetValue<string>()));
    }
}
