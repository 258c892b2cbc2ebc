using Constructs;
using HashiCorp.Cdktf;
using MlopsTf.Constructs.Common;

namespace MlopsTf.Environments;

/// <summary>
/// One environment's platform: provider locked to the environment's account, the S3 state backend with DynamoDB and
/// S3-native locking, and the platform constructs.
/// </summary>
public sealed class MlopsStack : TerraformStack
{
    /// <summary>The environment this stack deploys.</summary>
    public EnvironmentConfig Config { get; }

    /// <summary>Creates the stack named after the environment, so that <c>cdktf deploy dev</c> deploys dev.</summary>
    public MlopsStack(Construct scope, EnvironmentConfig config) : base(scope, config.Name)
    {
        Config = config;
        StackDefaults.AwsProvider(this, config, config.Region, "platform");
        StackDefaults.PinAwsProvider(this);

        var backend = config.StateBackend;
        new S3Backend(this, new S3BackendConfig
        {
            Bucket = backend.Bucket,
            Key = backend.KeyFor(config.Name),
            Region = backend.Region,
            Encrypt = true,
            KmsKeyId = Arn.KmsAlias(backend.Region, config.AccountId, backend.KmsKeyAlias),
            DynamodbTable = backend.LockTable,
        });
        // S3-native locking (Terraform >= 1.10) has no S3BackendConfig property in cdktf 0.21. Both locks are taken
        // while migrating off DynamoDB locking, which Terraform 1.11 deprecated.
        AddOverride("terraform.backend.s3.use_lockfile", true);
    }
}
