using MlopsTf.Environments;

try
{
    var app = new App();
    var policy = AppComposer.Compose(app, Platform.Environments, Platform.GitHub);
    return SynthRunner.Synth(app, policy, Console.Error);
}
catch (InvalidConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
