using Constructs;
using HashiCorp.Cdktf.Providers.Aws.Provider;

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

    /// <summary>Pins the AWS provider to exactly <see cref="AwsProviderVersion"/>.</summary>
    public static void PinAwsProvider(HashiCorp.Cdktf.TerraformStack stack) =>
        stack.AddOverride("terraform.required_providers.aws.version", AwsProviderVersion);
}
