using MlopsTf.Constructs.Ssm;

namespace MlopsTf.Tests.Constructs;

[Collection(JsiiCollection.Name)]
public class PlatformParametersTests
{
    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Every_output_is_published_under_the_environment_path(string env)
    {
        var stack = SynthesizedApp.Instance.Document(env);
        var parameters = stack.Resources("aws_ssm_parameter").ToDictionary(p => p.String("name")!, p => p);
        Assert.All(parameters.Keys, n => Assert.StartsWith($"/mlopstf/{env}/", n));
        var published = parameters.Keys.Select(n => n[$"/mlopstf/{env}/".Length..].Split('/')[0]).ToHashSet();
        var outputs = stack.Json["output"]!.AsObject().Select(o => o.Key).ToHashSet();
        Assert.Equal(outputs.Order(), published.Order());
        Assert.Equal("StringList", parameters[$"/mlopstf/{env}/private_subnet_ids"].String("type"));
        Assert.All(parameters.Values.Where(p => !p.String("name")!.EndsWith("private_subnet_ids", StringComparison.Ordinal)),
            p => Assert.Equal(("String", "Standard"), (p.String("type"), p.String("tier"))));
        Assert.Equal($"${{{stack.Resource("aws_vpc", "network/vpc").Address}.id}}", parameters[$"/mlopstf/{env}/vpc_id"].String("value"));
    }

    [Fact]
    public void A_secure_parameter_uses_the_key_and_the_read_grant_decrypts_only_through_ssm()
    {
        var (app, stack) = ScratchApp();
        var key = Scratch.Key(stack);
        var parameters = new PlatformParameters(stack, "parameters", new PlatformParametersProps { Path = "/t/dev", Key = key });
        parameters.Add("api_key", "not-in-git", "a secret", ParameterKind.Secure);
        parameters.Add("bucket_name", "t-bucket", "a name");
        var role = new ServiceRole(stack, "reader", new ServiceRoleProps { RoleName = "t-reader", Description = "reads", Service = "lambda.amazonaws.com" });
        parameters.GrantRead(role);
        var doc = Synth(app, stack);
        var secure = doc.Resources("aws_ssm_parameter").Single(p => p.String("name") == "/t/dev/api_key");
        Assert.Equal(("SecureString", $"${{{doc.Resource("aws_kms_key", "key/key").Address}.arn}}"), (secure.String("type"), secure.String("key_id")));
        var statements = JsonValues.BySid(doc.Statements("reader/read-parameters-document"));
        Assert.Equal(["arn:aws:ssm:us-east-1:111122223333:parameter/t/dev", "arn:aws:ssm:us-east-1:111122223333:parameter/t/dev/*"],
            JsonValues.Strings(statements["ReadPlatformParameters"]["resources"]));
        var decrypt = statements["DecryptPlatformParameters"];
        Assert.Equal(["kms:Decrypt"], JsonValues.Strings(decrypt["actions"]));
        Assert.Equal("ssm.us-east-1.amazonaws.com", decrypt["condition"]![0]!["values"]![0]!.GetValue<string>());
        Assert.DoesNotContain(PolicyPack.Evaluate(doc).Findings, f => f.RuleId == "MLOPSTF-SSM-001");
    }

    [Fact]
    public void A_secure_string_with_the_aws_managed_key_is_a_finding()
    {
        var (app, stack) = ScratchApp();
        var parameters = new PlatformParameters(stack, "parameters", new PlatformParametersProps { Path = "/t/dev", Key = Scratch.Key(stack) });
        parameters.Add("api_key", "x", "a secret", ParameterKind.Secure);
        var doc = Synth(app, stack);
        doc.Resource("aws_ssm_parameter", "parameters/api_key").Body["key_id"] = "alias/aws/ssm";
        var finding = Assert.Single(PolicyPack.Evaluate(doc).Findings, f => f.RuleId == "MLOPSTF-SSM-001");
        Assert.Contains("uses the AWS managed key aws/ssm", finding.Problem);
    }

    [Theory]
    [InlineData("mlopstf/dev", "PlatformParametersProps.Path = \"mlopstf/dev\"", "a leading '/'")]
    [InlineData("/mlopstf/dev/", "PlatformParametersProps.Path = \"/mlopstf/dev/\"", "no trailing '/'")]
    [InlineData("/mlopstf dev", "PlatformParametersProps.Path = \"/mlopstf dev\"", "letters, digits")]
    [InlineData("/aws-platform/dev", "PlatformParametersProps.Path = \"/aws-platform/dev\"", "begin with 'aws' or 'ssm'")]
    [InlineData("/SSM/dev", "PlatformParametersProps.Path = \"/SSM/dev\"", "begin with 'aws' or 'ssm'")]
    public void Paths_SSM_refuses_are_refused(string path, string field, string fix) =>
        Scratch.Rejects(() => new PlatformParameters(Scratch.Stack(), "p", new PlatformParametersProps { Path = path }), field, fix);

    [Fact]
    public void Names_descriptions_duplicates_and_keyless_secrets_are_refused()
    {
        var parameters = new PlatformParameters(Scratch.Stack(), "p", new PlatformParametersProps { Path = "/t/dev" });
        parameters.Add("vpc_id", "vpc-1", "the VPC");
        Scratch.Rejects(() => parameters.Add("vpc id", "x", "d"), "parameter name \"vpc id\" under /t/dev", "letters, digits");
        Scratch.Rejects(() => parameters.Add("vpc_id", "x", "d"), "parameter /t/dev/vpc_id is added twice");
        Scratch.Rejects(() => parameters.Add("long", "x", new string('d', 1025)), "parameter /t/dev/long: the description has 1025 characters", "1024");
        Scratch.Rejects(() => parameters.Add(string.Join('/', Enumerable.Repeat("a", 15)), "x", "d"), "at most 1011 characters and 15 levels");
        Scratch.Rejects(() => parameters.Add("token", "x", "d", ParameterKind.Secure), "parameter /t/dev/token is a SecureString but PlatformParametersProps.Key is null");
    }

    private static (App App, TerraformStack Stack) ScratchApp()
    {
        var app = new App(new AppConfig { Outdir = Path.Combine(Path.GetTempPath(), $"mlopstf-parameters-{Guid.NewGuid():N}") });
        var stack = Scratch.Stack(app: app);
        new HashiCorp.Cdktf.Providers.Aws.Provider.AwsProvider(stack, "aws", new HashiCorp.Cdktf.Providers.Aws.Provider.AwsProviderConfig { Region = "us-east-1" });
        return (app, stack);
    }

    private static StackDocument Synth(App app, TerraformStack stack)
    {
        app.Synth();
        var file = Path.Combine(app.Outdir, "stacks", stack.Node.Id, "cdk.tf.json");
        var doc = new StackDocument(stack.Node.Id, JsonNode.Parse(File.ReadAllText(file))!.AsObject());
        Directory.Delete(app.Outdir, recursive: true);
        return doc;
    }
}
