using System.Diagnostics;
using Constructs;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.CloudwatchMetricAlarm;
using HashiCorp.Cdktf.Providers.Aws.Provider;
using HashiCorp.Cdktf.Providers.Aws.SagemakerEndpoint;
using HashiCorp.Cdktf.Providers.Aws.SagemakerEndpointConfiguration;
using HashiCorp.Cdktf.Providers.Aws.SagemakerModel;
using HashiCorp.Cdktf.Providers.Aws.SagemakerModelPackageGroup;
using HashiCorp.Cdktf.Providers.Aws.SsmParameter;

// dotnet EndpointFloor.dll N: creates the jsii objects one serverless endpoint of the scale app adds (its resources
// with the fewest arguments they take, and the scopes around them), N times after a warm-up, and nothing else: no
// reads, no synth. Prints the resource types of the last set (read after the timing), then the wall time, this
// process's CPU and the jsii kernel's CPU per set. make bench checks the types against what an endpoint adds to the
// scale app's stack.
if (args is not [var countText] || !int.TryParse(countText, out var count) || count < 1)
{
    Console.Error.WriteLine("usage: EndpointFloor N   (N >= 1 sets of an endpoint's objects)");
    return 2;
}
var app = new App();
var stack = new TerraformStack(app, "floor");
new AwsProvider(stack, "aws", new AwsProviderConfig { Region = "us-east-1", AllowedAccountIds = ["111122223333"] });

var kernel = KernelProcess();
var warmUp = Math.Max(5, count / 5);
for (var i = 0; i < warmUp; i++) Endpoint($"warm-{i}");
var clock = Stopwatch.StartNew();
var (cpu, kernelCpu) = (ProcessCpuMs(), KernelCpuMs(kernel));
var resources = new List<TerraformResource>();
for (var i = 0; i < count; i++) resources = Endpoint($"m{i}");
var wall = clock.Elapsed.TotalMilliseconds;
var (cpuAfter, kernelAfter) = (ProcessCpuMs(), KernelCpuMs(kernel));
var types = resources.GroupBy(r => r.TerraformResourceType).OrderBy(g => g.Key, StringComparer.Ordinal);
Console.WriteLine("floor types: " + string.Join(" ", types.Select(g => $"{g.Key}={g.Count()}")));
Console.WriteLine($"floor: {count} sets, wall {wall / count:F1} ms, .NET CPU {(cpuAfter - cpu) / count:F1} ms, kernel CPU {(kernelAfter - kernelCpu) / count:F1} ms per set");
return 0;

// One endpoint's objects: the model and endpoint scopes and the alarms scope, two model versions, two endpoint
// configurations, the endpoint, two alarms, the model package group and two parameters.
List<TerraformResource> Endpoint(string name)
{
    var created = new List<TerraformResource>();
    var model = new Construct(stack, $"model-{name}");
    var endpoint = new Construct(stack, $"endpoint-{name}");
    var alarms = new Construct(endpoint, "alarms");
    foreach (var version in new[] { "1-0-0", "1-1-0" })
    {
        created.Add(new SagemakerModel(model, $"version-{version}", new SagemakerModelConfig
        {
            Name = $"{name}-{version}",
            ExecutionRoleArn = "arn:aws:iam::111122223333:role/floor",
            PrimaryContainer = new SagemakerModelPrimaryContainer { Image = "image" },
        }));
        created.Add(new SagemakerEndpointConfiguration(endpoint, $"configuration-{version}", new SagemakerEndpointConfigurationConfig
        {
            Name = $"{name}-{version}",
            ProductionVariants = new[] { new SagemakerEndpointConfigurationProductionVariants { ModelName = $"{name}-{version}", VariantName = "AllTraffic" } },
        }));
        created.Add(new SsmParameter(model, $"parameter-{version}", new SsmParameterConfig { Name = $"/{name}/{version}", Type = "String", Value = version }));
    }
    created.Add(new SagemakerEndpoint(endpoint, "endpoint", new SagemakerEndpointConfig { Name = name, EndpointConfigName = $"{name}-1-1-0" }));
    foreach (var kind in new[] { "latency-p95", "5xx-rate" })
        created.Add(new CloudwatchMetricAlarm(alarms, kind, new CloudwatchMetricAlarmConfig { AlarmName = $"{name}-{kind}", ComparisonOperator = "GreaterThanThreshold", EvaluationPeriods = 1 }));
    created.Add(new SagemakerModelPackageGroup(stack, $"group-{name}", new SagemakerModelPackageGroupConfig { ModelPackageGroupName = name }));
    return created;
}

static double ProcessCpuMs() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

// The Node.js process the jsii runtime started for this one (a child of this process).
static int KernelProcess() => Directory.GetDirectories("/proc")
    .Select(Path.GetFileName).Where(p => int.TryParse(p, out _)).Select(p => int.Parse(p!))
    .First(pid => Stat(pid) is { } stat && stat[1] == Environment.ProcessId.ToString() && File.ReadAllText($"/proc/{pid}/comm").Trim() == "node");

// /proc/<pid>/stat after the command name: state, parent, ... utime (index 11) and stime (index 12), in clock ticks
// of 1/100 s (USER_HZ on Linux).
static string[]? Stat(int pid)
{
    try { return File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].Trim().Split(' '); }
    catch (IOException) { return null; }
}

static double KernelCpuMs(int pid) => Stat(pid) is { } s ? (double.Parse(s[11]) + double.Parse(s[12])) * 1000 / 100 : double.NaN;
