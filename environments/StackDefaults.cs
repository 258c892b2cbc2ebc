namespace MlopsTf.Environments;

/// <summary>The AWS provider every stack of an environment uses.</summary>
public static class StackDefaults
{
    /// <summary>AWS provider version the bindings were generated for; pinned exactly in <c>required_providers</c>.</summary>
    public const string AwsProviderVersion = "5.100.0";

    /// <summary>
    /// An AWS provider locked to <paramref name="env"/>'s account (a plan can never touch another account), with
    /// the platform's default tags.
    /// </summary>
    public static AwsProvider AwsProvider(Construct scope, EnvironmentConfig env, string region, string stackRole)
    {
        var tags = new Dictionary<string, string>(env.Tags)
        {
            ["Project"] = Platform.Project,
            ["Environment"] = env.Name,
            ["ManagedBy"] = "cdktf",
        };
        tags["Stack"] = stackRole;
        var provider = new AwsProvider(scope, "aws", new AwsProviderConfig
        {
            Region = region,
            AllowedAccountIds = [env.AccountId],
            DefaultTags = new IAwsProviderDefaultTags[] { new AwsProviderDefaultTags { Tags = tags } },
        });
        return provider;
    }

    /// <summary>
    /// The environment's S3 state backend under <paramref name="key"/>: encrypted with the state KMS key, locked
    /// through DynamoDB and through S3-native lock files.
    /// </summary>
    public static void StateBackend(TerraformStack stack, EnvironmentConfig env, string key)
    {
        var backend = env.StateBackend;
        new S3Backend(stack, new S3BackendConfig
        {
            Bucket = backend.Bucket,
            Key = key,
            Region = backend.Region,
            Encrypt = true,
            KmsKeyId = Arn.KmsAlias(backend.Region, env.AccountId, backend.KmsKeyAlias),
            DynamodbTable = backend.LockTable,
        });
        // S3-native locking (Terraform >= 1.10) has no S3BackendConfig property in cdktf 0.21. Both locks are taken
        // while migrating off DynamoDB locking, which Terraform 1.11 deprecated.
        stack.AddOverride("terraform.backend.s3.use_lockfile", true);
    }

    /// <summary>Pins the AWS provider to exactly <see cref="AwsProviderVersion"/>.</summary>
    public static void PinAwsProvider(TerraformStack stack) =>
        stack.AddOverride("terraform.required_providers.aws.version", AwsProviderVersion);
}
