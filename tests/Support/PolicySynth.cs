using HashiCorp.Cdktf.Providers.Aws.Provider;

namespace MlopsTf.Tests.Support;

/// <summary>Apps for tests that synthesize through <see cref="SynthRunner"/> with the policy check attached.</summary>
public static class PolicySynth
{
    /// <summary>An app writing to an emptied temporary folder named after <paramref name="name"/>.</summary>
    public static App FreshApp(string name, bool skipValidation = false)
    {
        var outdir = Path.Combine(Path.GetTempPath(), $"mlopstf-{name}-{Environment.ProcessId}");
        if (Directory.Exists(outdir)) Directory.Delete(outdir, recursive: true);
        return new App(new AppConfig { Outdir = outdir, SkipValidation = skipValidation });
    }

    /// <summary>A stack of <paramref name="app"/> with the AWS provider (us-east-1), as CDKTF's validations require.</summary>
    public static TerraformStack StackWithProvider(App app, string id)
    {
        var stack = new TerraformStack(app, id);
        new AwsProvider(stack, "aws", new AwsProviderConfig { Region = "us-east-1" });
        return stack;
    }
}
