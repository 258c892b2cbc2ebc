using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlopsTf.Environments;

/// <summary>
/// Which version each endpoint serves, per environment: <c>environments/releases.json</c>, the one file that
/// <c>make rollback</c> and <c>make promote</c> change (and a pull request reviews through its plan). The environment
/// files read their endpoints' <c>ActiveVersion</c> from here; everything else about an endpoint stays in C#.
/// </summary>
public sealed class Releases
{
    /// <summary>Environment variable naming another releases file (the tests pin theirs).</summary>
    public const string FileVariable = "MLOPSTF_RELEASES_FILE";

    private static readonly Lazy<Releases> LoadedCurrent = new(() => Load(CurrentPath));

    private readonly SortedDictionary<string, SortedDictionary<string, string>> _versions;

    private Releases(string path, SortedDictionary<string, SortedDictionary<string, string>> versions)
    {
        Path = path;
        _versions = versions;
    }

    /// <summary>The file these releases were read from.</summary>
    public string Path { get; }

    /// <summary>The releases file the app reads: <see cref="FileVariable"/>, or <c>environments/releases.json</c>.</summary>
    public static string CurrentPath => Environment.GetEnvironmentVariable(FileVariable) is { Length: > 0 } given
        ? given
        : System.IO.Path.Combine(SourcePaths.Root, "environments", "releases.json");

    /// <summary>The releases the app builds with.</summary>
    public static Releases Current => LoadedCurrent.Value;

    /// <summary>Every (environment, endpoint, version) entry.</summary>
    public IEnumerable<(string Environment, string Endpoint, string Version)> Entries =>
        _versions.SelectMany(e => e.Value.Select(v => (e.Key, v.Key, v.Value)));

    /// <summary>The version <paramref name="endpoint"/> of <paramref name="environment"/> serves.</summary>
    /// <exception cref="InvalidConfigurationException">The file has no entry for it.</exception>
    public string Active(string environment, string endpoint)
    {
        if (_versions.TryGetValue(environment, out var endpoints) && endpoints.TryGetValue(endpoint, out var version))
            return version;
        throw new InvalidConfigurationException([new(environment, $"releases[{environment}][{endpoint}]", "(missing)",
            $"{Path} names no version for endpoint {endpoint}",
            $"add \"{endpoint}\": \"<retained version>\" under \"{environment}\" (make promote ENV={environment} VERSION=<version> writes it)")]);
    }

    /// <summary>A copy in which <paramref name="endpoint"/> of <paramref name="environment"/> serves <paramref name="version"/>.</summary>
    public Releases With(string environment, string endpoint, string version)
    {
        var copy = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (env, endpoints) in _versions) copy[env] = new(endpoints, StringComparer.Ordinal);
        if (!copy.TryGetValue(environment, out var target)) copy[environment] = target = new(StringComparer.Ordinal);
        target[endpoint] = version;
        return new Releases(Path, copy);
    }

    /// <summary>Entries that name an environment or endpoint the configuration does not define.</summary>
    public IReadOnlyList<ConfigError> Unused(IReadOnlyList<EnvironmentConfig> environments) =>
        [.. Entries
            .Where(r => environments.FirstOrDefault(e => e.Name == r.Environment) is not { } env || env.Serving.Endpoints.All(x => x.Name != r.Endpoint))
            .Select(r => new ConfigError(r.Environment, $"releases[{r.Environment}][{r.Endpoint}]", r.Version,
                $"{Path} names an endpoint that environment {r.Environment} does not define",
                "remove the entry, or define the endpoint in the environment's Serving.Endpoints"))];

    /// <summary>The file's text: environments and endpoints in order, two-space indent, one trailing newline.</summary>
    public string ToJson()
    {
        var root = new JsonObject();
        foreach (var (env, endpoints) in _versions)
        {
            var node = new JsonObject();
            foreach (var (endpoint, version) in endpoints) node[endpoint] = version;
            root[env] = node;
        }
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Writes <see cref="ToJson"/> to <see cref="Path"/>.</summary>
    public void Save() => File.WriteAllText(Path, ToJson());

    /// <summary>Reads a releases file: an object of environments, each an object of endpoint names to version labels.</summary>
    /// <exception cref="InvalidConfigurationException">The file is missing or not of that shape; names the entry and the fix.</exception>
    public static Releases Load(string path)
    {
        static Exception Bad(string field, string value, string problem, string fix) =>
            new InvalidConfigurationException([new("*", field, value, problem, fix)]);

        if (!File.Exists(path))
            throw Bad("releases", path, "the releases file does not exist", $"create it with each environment's endpoint versions, or unset {FileVariable}");
        try
        {
            return new Releases(path, Parse(JsonNode.Parse(File.ReadAllText(path)), Bad));
        }
        catch (JsonException e)
        {
            throw Bad("releases", path, $"is not JSON ({e.Message})", "restore it from git and change it with make rollback or make promote");
        }
        catch (ArgumentException e)
        {
            throw Bad("releases", path, $"names a key twice ({e.Message})", "keep one entry per environment and endpoint");
        }
    }

    private static SortedDictionary<string, SortedDictionary<string, string>> Parse(JsonNode? root, Func<string, string, string, string, Exception> bad)
    {
        if (root is not JsonObject environments)
            throw bad("releases", root?.ToJsonString() ?? "null", "must be a JSON object of environments", "write {\"dev\": {\"churn\": \"1.1.0\"}, ...}");
        var versions = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (env, value) in environments)
        {
            if (value is not JsonObject endpoints)
                throw bad($"releases[{env}]", value?.ToJsonString() ?? "null", "must be an object of endpoint names to versions", $"write \"{env}\": {{\"<endpoint>\": \"<version>\"}}");
            var entries = versions[env] = new(StringComparer.Ordinal);
            foreach (var (endpoint, version) in endpoints)
            {
                if (version is not JsonValue v || !v.TryGetValue<string>(out var label) || label.Length == 0)
                    throw bad($"releases[{env}][{endpoint}]", version?.ToJsonString() ?? "null", "must be a version label string", "write the version, e.g. \"1.1.0\"");
                entries[endpoint] = label;
            }
        }
        return versions;
    }
}
