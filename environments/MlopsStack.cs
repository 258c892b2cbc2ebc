using Constructs;
using HashiCorp.Cdktf;

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

        StackDefaults.StateBackend(this, config, config.StateBackend.KeyFor(config.Name));
    }
}
