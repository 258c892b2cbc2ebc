namespace MlopsTf.Constructs.Ssm;

/// <summary>Props for <see cref="PlatformParameters"/>.</summary>
public sealed record PlatformParametersProps
{
    /// <summary>The hierarchy every parameter lives under, e.g. <c>/mlopstf/dev</c>: a leading '/', segments of letters, digits, '.', '_' or '-'.</summary>
    public required string Path { get; init; }

    /// <summary>The customer managed key of <see cref="ParameterKind.Secure"/> parameters. Required once one is added; default: none.</summary>
    public CustomerManagedKey? Key { get; init; }
}

/// <summary>How a parameter is stored.</summary>
public enum ParameterKind
{
    /// <summary>A plain <c>String</c>: a name, ARN, ID or URL that other teams' templates resolve (CloudFormation's <c>{{resolve:ssm:…}}</c> reads only String and StringList).</summary>
    Plain,

    /// <summary>A <c>StringList</c> (comma-separated), e.g. subnet ids.</summary>
    List,

    /// <summary>A <c>SecureString</c> encrypted with <see cref="PlatformParametersProps.Key"/>, for anything sensitive.</summary>
    Secure,
}

/// <summary>
/// SSM parameters under one path that publish what the platform created (bucket names, subnet ids, ARNs, URLs) for
/// the teams and templates that build on it, and a read grant for that path. SSM's limits are checked here: names of
/// letters, digits, '.', '_', '-' and '/', at most 15 levels and 1,011 characters, no <c>aws</c> or <c>ssm</c> prefix,
/// descriptions up to 1,024 characters, no name twice.
/// </summary>
public sealed class PlatformParameters : Construct
{
    private const int MaxNameLength = 1011, MaxLevels = 15, MaxDescription = 1024;
    private static readonly Regex Segment = new("^[A-Za-z0-9_.-]+$", RegexOptions.Compiled);
    private readonly CustomerManagedKey? key;
    private readonly List<SsmParameter> parameters = [];
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private bool anySecure;

    /// <summary>The path, e.g. <c>/mlopstf/dev</c>.</summary>
    public string Path { get; }

    /// <summary>The parameters, in the order they were added.</summary>
    public IReadOnlyList<SsmParameter> Parameters => parameters;

    /// <summary>Creates an empty set of parameters under <see cref="PlatformParametersProps.Path"/>.</summary>
    public PlatformParameters(Construct scope, string id, PlatformParametersProps props) : base(scope, id)
    {
        var segments = props.Path.Split('/');
        if (!props.Path.StartsWith('/') || props.Path.EndsWith('/') || segments.Skip(1).Any(s => !Segment.IsMatch(s)))
            throw new ArgumentException($"PlatformParametersProps.Path = \"{props.Path}\": give a path like /mlopstf/dev (a leading '/', segments of letters, digits, '.', '_' or '-', no trailing '/').");
        if (segments[1].StartsWith("aws", StringComparison.OrdinalIgnoreCase) || segments[1].StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"PlatformParametersProps.Path = \"{props.Path}\": SSM reserves names that begin with 'aws' or 'ssm'; start the path with the project name.");
        Path = props.Path;
        key = props.Key;
    }

    /// <summary>Adds <c>&lt;Path&gt;/&lt;name&gt;</c> holding <paramref name="value"/>.</summary>
    public SsmParameter Add(string name, string value, string description, ParameterKind kind = ParameterKind.Plain)
    {
        var full = $"{Path}/{name}";
        if (name.Split('/').Any(s => !Segment.IsMatch(s)))
            throw new ArgumentException($"parameter name \"{name}\" under {Path}: use letters, digits, '.', '_' or '-' (and '/' between levels).");
        if (full.Length > MaxNameLength || full.Count(c => c == '/') > MaxLevels)
            throw new ArgumentException($"parameter name \"{full}\": SSM allows at most {MaxNameLength} characters and {MaxLevels} levels; shorten it.");
        if (description.Length > MaxDescription)
            throw new ArgumentException($"parameter {full}: the description has {description.Length} characters; SSM allows {MaxDescription}.");
        if (!names.Add(full))
            throw new ArgumentException($"parameter {full} is added twice; give each value its own name.");
        if (kind == ParameterKind.Secure && key is null)
            throw new ArgumentException($"parameter {full} is a SecureString but PlatformParametersProps.Key is null: pass the customer managed key that encrypts it.");
        var parameter = new SsmParameter(this, name.Replace('/', '-'), new SsmParameterConfig
        {
            Name = full,
            Type = kind switch { ParameterKind.List => "StringList", ParameterKind.Secure => "SecureString", _ => "String" },
            Value = value,
            Description = description,
            Tier = "Standard",
            KeyId = kind == ParameterKind.Secure ? key!.Arn : null,
        });
        parameters.Add(parameter);
        anySecure |= kind == ParameterKind.Secure;
        return parameter;
    }

    /// <summary>Adds a <c>StringList</c> parameter holding <paramref name="values"/>.</summary>
    public SsmParameter AddList(string name, string[] values, string description) =>
        Add(name, Fn.Join(",", values), description, ParameterKind.List);

    /// <summary>Adds one parameter per entry, <c>&lt;Path&gt;/&lt;name&gt;/&lt;key&gt;</c>.</summary>
    public void AddEach(string name, IReadOnlyDictionary<string, string> values, string description)
    {
        foreach (var (entry, value) in values) Add($"{name}/{entry}", value, $"{description}: {entry}");
    }

    /// <summary>Lets <paramref name="role"/> read every parameter under the path (and decrypt the secure ones through SSM).</summary>
    public void GrantRead(IGrantable role)
    {
        var context = StackContext.Of(this);
        var statements = new List<IDataAwsIamPolicyDocumentStatement>
        {
            Policy.Allow("ReadPlatformParameters", ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
                [context.ServiceArn("ssm", $"parameter{Path}"), context.ServiceArn("ssm", $"parameter{Path}/*")]),
        };
        if (anySecure)
            statements.Add(key!.AllowVia("DecryptPlatformParameters", KeyUse.DecryptData, $"ssm.{context.Region}.amazonaws.com"));
        role.AddPolicy($"read-{Node.Id}", [.. statements]);
    }
}
