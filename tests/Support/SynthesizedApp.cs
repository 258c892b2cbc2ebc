namespace MlopsTf.Tests.Support;

/// <summary>
/// The whole app synthesized once per test run (a synth costs seconds), into a temporary directory that every test
/// reads from.
/// </summary>
public sealed class SynthesizedApp
{
    private static readonly Lazy<SynthesizedApp> Shared = new(() => new SynthesizedApp());

    public static SynthesizedApp Instance => Shared.Value;

    public string OutDir { get; }

    public IReadOnlyList<string> StackNames { get; }

    /// <summary>The app itself, for tests that read the construct tree.</summary>
    public App App { get; }

    private readonly Dictionary<string, JsonObject> _stacks = new();

    private SynthesizedApp()
    {
        // scripts/test.sh names a folder in its own temporary results, and reuses the synth for the access and pipeline suites.
        OutDir = Environment.GetEnvironmentVariable("MLOPSTF_TEST_SYNTH_DIR") is { Length: > 0 } given
            ? given
            : Path.Combine(Path.GetTempPath(), $"mlopstf-synth-{Environment.ProcessId}");
        if (Directory.Exists(OutDir)) Directory.Delete(OutDir, recursive: true);
        var app = App = new App(new AppConfig { Outdir = OutDir, StackTraces = false });
        AppComposer.Compose(app, Platform.Environments, Platform.GitHub);
        app.Synth();
        StackNames = Directory.GetDirectories(Path.Combine(OutDir, "stacks")).Select(Path.GetFileName).OfType<string>().Order().ToList();
        foreach (var name in StackNames)
            _stacks[name] = JsonNode.Parse(File.ReadAllText(StackFile(name)))!.AsObject();
    }

    public string StackDir(string stack) => Path.Combine(OutDir, "stacks", stack);

    public string StackFile(string stack) => Path.Combine(StackDir(stack), "cdk.tf.json");

    public string StackText(string stack) => File.ReadAllText(StackFile(stack));

    /// <summary>Copies a synthesized stack (without its .terraform folder) to <paramref name="target"/>, replacing it.</summary>
    public string CopyStack(string stack, string target)
    {
        var source = StackDir(stack);
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
                     .Where(f => !Path.GetRelativePath(source, f).StartsWith(".terraform", StringComparison.Ordinal)))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        return target;
    }

    public JsonObject Stack(string stack) =>
        _stacks.TryGetValue(stack, out var json) ? json : throw new KeyNotFoundException($"no stack '{stack}' in {OutDir}");

    /// <summary>A synthesized stack, read by construct path and Terraform address.</summary>
    public StackDocument Document(string stack) => new(stack, Stack(stack));
}
