using MlopsTf.Environments;

if (args is ["release", .. var rest])
    return ReleaseCommand.Run(rest, Releases.CurrentPath, Console.Out, Console.Error);

try
{
    var app = new App();
    var policy = AppComposer.Compose(app, Platform.Environments, Platform.GitHub);
    return SynthRunner.Synth(app, policy, Console.Error);
}
// A broken releases file surfaces from the environments' static configurations, wrapped.
catch (Exception e) when ((e as InvalidConfigurationException ?? e.InnerException as InvalidConfigurationException) is { } invalid)
{
    Console.Error.WriteLine(invalid.Message);
    return 1;
}
