using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.Provider;

var app = new App();
var stack = new TerraformStack(app, "empty");
new AwsProvider(stack, "aws", new AwsProviderConfig { Region = "us-east-1", AllowedAccountIds = ["111122223333"] });
app.Synth();
