using HashiCorp.Cdktf;
using MlopsTf.Environments;

try
{
    var app = new App();
    AppComposer.Compose(app, Platform.Environments, Platform.GitHub);
    app.Synth();
}
catch (InvalidConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
return 0;
