namespace MlopsTf.Tests.Support;

/// <summary>One environment stack synthesized from a changed configuration, in a folder of its own (removed after).</summary>
public static class ConfigSynth
{
    /// <summary>Synthesizes <paramref name="config"/>'s environment stack and returns its document.</summary>
    public static StackDocument Environment(EnvironmentConfig config)
    {
        var outdir = Path.Combine(Path.GetTempPath(), $"mlopstf-config-{Guid.NewGuid():N}");
        var app = new App(new AppConfig { Outdir = outdir, StackTraces = false });
        new MlopsStack(app, config, []);
        app.Synth();
        var file = Path.Combine(outdir, "stacks", config.Name, "cdk.tf.json");
        var stack = new StackDocument(config.Name, JsonNode.Parse(File.ReadAllText(file))!.AsObject());
        Directory.Delete(outdir, recursive: true);
        return stack;
    }
}
