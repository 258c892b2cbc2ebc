namespace MlopsTf.Constructs.Frontend;

/// <summary>Props for <see cref="CacheInvalidation"/>.</summary>
public sealed record CacheInvalidationProps
{
    /// <summary>The distribution's id (a reference).</summary>
    public required string DistributionId { get; init; }

    /// <summary>Viewer paths to invalidate, each starting with <c>/</c> (no wildcards: the invalidation is targeted).</summary>
    public required IReadOnlyList<string> Paths { get; init; }

    /// <summary>Name → value whose change starts a new invalidation, e.g. each uploaded object's version id.</summary>
    public required IReadOnlyDictionary<string, string> Triggers { get; init; }
}

/// <summary>
/// A CloudFront invalidation of <see cref="CacheInvalidationProps.Paths"/> each time a trigger changes: a
/// <c>terraform_data</c> replaced on change, whose <c>local-exec</c> runs <c>aws cloudfront create-invalidation</c>
/// with the deploying identity (the AWS provider has no invalidation resource). The machine that applies needs the
/// AWS CLI v2 and <c>cloudfront:CreateInvalidation</c> on the distribution; <c>terraform plan</c> runs nothing.
/// </summary>
public sealed class CacheInvalidation : Construct
{
    /// <summary>Paths per invalidation CloudFront accepts (files, without wildcards), from its quotas.</summary>
    public const int MaxPaths = 3000;

    private static readonly Regex SafePath = new("^/[A-Za-z0-9._/-]*$", RegexOptions.CultureInvariant);

    /// <summary>The command the provisioner runs (the distribution id comes from the environment).</summary>
    public string Command { get; }

    /// <summary>The <c>terraform_data</c> resource.</summary>
    public DataResource Resource { get; }

    /// <summary>Creates the resource and its provisioner.</summary>
    public CacheInvalidation(Construct scope, string id, CacheInvalidationProps props) : base(scope, id)
    {
        Validate(props);
        Command = "aws cloudfront create-invalidation --distribution-id \"$DISTRIBUTION_ID\" --paths "
            + string.Join(' ', props.Paths.Select(p => $"'{p}'")) + " --query Invalidation.Id --output text";
        Resource = new DataResource(this, "invalidation", new DataConfig
        {
            TriggersReplace = props.Triggers.ToDictionary(kv => kv.Key, kv => (object)kv.Value),
            Provisioners =
            [
                new LocalExecProvisioner
                {
                    Type = "local-exec",
                    Command = Command,
                    Environment = new Dictionary<string, string> { ["DISTRIBUTION_ID"] = props.DistributionId },
                },
            ],
        });
    }

    private static void Validate(CacheInvalidationProps p)
    {
        if (p.Paths.Count == 0)
            throw new ArgumentException("CacheInvalidationProps.Paths is empty: name the viewer paths to invalidate, e.g. \"/index.html\".");
        if (p.Paths.Count > MaxPaths)
            throw new ArgumentException($"CacheInvalidationProps.Paths has {p.Paths.Count} paths: CloudFront accepts at most {MaxPaths} in one invalidation; invalidate fewer files.");
        if (p.Paths.FirstOrDefault(path => !SafePath.IsMatch(path)) is { } bad)
            throw new ArgumentException($"CacheInvalidationProps.Paths holds \"{bad}\": a path starts with / and uses letters, digits, '.', '_', '-' and '/' only (no wildcards, no spaces).");
        if (p.Triggers.Count == 0)
            throw new ArgumentException("CacheInvalidationProps.Triggers is empty: without a trigger the invalidation runs once and never again; pass each object's version id.");
    }
}
