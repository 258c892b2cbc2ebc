using System.Diagnostics;
using HashiCorp.Cdktf;
using MlopsTf.Constructs.Policies;
using MlopsTf.Environments;

// dotnet ScaleApp.dll N: dev's platform stack serving N models, each on its own serverless endpoint; prints
// "scale: N endpoints, compose <ms>, synth <ms>" (the construct tree, then synth with the policy pack).
if (args is not [var countText] || !int.TryParse(countText, out var count) || count < 1)
{
    Console.Error.WriteLine("usage: ScaleApp N   (N >= 1 models and endpoints in dev)");
    return 2;
}
var dev = Dev.Config;
var names = Enumerable.Range(1, count).Select(i => $"m{i:00}").ToList();
var env = dev with
{
    Ml = dev.Ml with { ModelFamilies = [.. dev.Ml.ModelFamilies, .. names] },
    Serving = dev.Serving with
    {
        Models = [.. names.Select(n => Catalog.ChurnModel with { Name = n })],
        Endpoints = [.. names.Select(n => dev.Serving.Endpoints[0] with { Name = n, Model = n })],
    },
};
EnvironmentValidator.EnsureValid([env]);
var app = new App();
var clock = Stopwatch.StartNew();
var stack = new MlopsStack(app, env, []);
var policy = new PolicyCheck();
policy.Attach(stack);
var compose = clock.ElapsedMilliseconds;
app.Synth();
var synth = clock.ElapsedMilliseconds - compose;
if (policy.Errors.Any())
{
    Console.Error.WriteLine($"policy errors: {string.Join("; ", policy.Errors)}");
    return 1;
}
Console.WriteLine($"scale: {count} endpoints, compose {compose} ms, synth {synth} ms");
return 0;
