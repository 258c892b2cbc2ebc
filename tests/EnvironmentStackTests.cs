namespace MlopsTf.Tests;

[Collection(JsiiCollection.Name)]
public class EnvironmentStackTests
{
    public static TheoryData<string> Environments => new(Platform.Environments.Select(e => e.Name));

    private static EnvironmentConfig Config(string env) => Platform.Environments.Single(e => e.Name == env);

    private static StackDocument Stack(string env) => SynthesizedApp.Instance.Document(env);

    [Theory]
    [MemberData(nameof(Environments))]
    public void Backend_is_s3_with_encryption_dynamodb_lock_and_s3_lockfile(string env)
    {
        var cfg = Config(env);
        var s3 = Stack(env).Json["terraform"]!["backend"]!["s3"]!.AsObject();
        Assert.Equal(cfg.StateBackend.Bucket, s3["bucket"]!.GetValue<string>());
        Assert.Equal($"envs/{env}/terraform.tfstate", s3["key"]!.GetValue<string>());
        Assert.Equal(cfg.StateBackend.Region, s3["region"]!.GetValue<string>());
        Assert.True(s3["encrypt"]!.GetValue<bool>());
        Assert.Equal($"arn:aws:kms:us-east-1:{cfg.AccountId}:alias/terraform-state", s3["kms_key_id"]!.GetValue<string>());
        Assert.Equal("mlopstf-tflock", s3["dynamodb_table"]!.GetValue<string>());
        Assert.True(s3["use_lockfile"]!.GetValue<bool>());
        Assert.Single(Stack(env).Json["terraform"]!["backend"]!.AsObject());
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Provider_is_locked_to_the_environment_account_with_default_tags(string env)
    {
        var cfg = Config(env);
        var provider = Assert.Single(Stack(env).Json["provider"]!["aws"]!.AsArray())!.AsObject();
        Assert.Equal(cfg.Region, provider["region"]!.GetValue<string>());
        Assert.Equal([cfg.AccountId], provider["allowed_account_ids"]!.AsArray().Select(a => a!.GetValue<string>()));
        var tags = provider["default_tags"]![0]!["tags"]!.AsObject();
        Assert.Equal("mlopstf", tags["Project"]!.GetValue<string>());
        Assert.Equal(env, tags["Environment"]!.GetValue<string>());
        Assert.Equal("cdktf", tags["ManagedBy"]!.GetValue<string>());
        foreach (var (key, value) in cfg.Tags) Assert.Equal(value, tags[key]!.GetValue<string>());
        Assert.Null(provider["access_key"]);
        Assert.Null(provider["secret_key"]);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Aws_provider_is_pinned_exactly(string env)
    {
        var aws = Stack(env).Json["terraform"]!["required_providers"]!["aws"]!;
        Assert.Equal("5.100.0", aws["version"]!.GetValue<string>());
        Assert.Equal("aws", aws["source"]!.GetValue<string>());
    }

    [Fact]
    public void State_keys_differ_between_environments()
    {
        var keys = Platform.Environments.Select(e => Stack(e.Name).Json["terraform"]!["backend"]!["s3"]!["key"]!.GetValue<string>()).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }
}
