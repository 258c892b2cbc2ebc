using MlopsTf.Environments;

if (args is ["release", .. var rest])
    return ReleaseCommand.Run(rest, Releases.CurrentPath, Console.Out, Console.Error);

try
{
    var app = SynthProfile.Time("jsii start and App", () => new App());
    var policy = SynthProfile.Time("compose (construct tree)", () => AppComposer.Compose(app, Platform.Environments, Platform.GitHub));
    var status = SynthRunner.Synth(app, policy, Console.Error);
    SynthProfile.Print(Console.Error);
    return status;
}
// A broken releases file surfaces from the environments' static configurations, wrapped.
catch (Exception e) when ((e as InvalidConfigurationException ?? e.InnerException as InvalidConfigurationException) is { } invalid)
{
    Console.Error.WriteLine(invalid.Message);
    return 1;
}
