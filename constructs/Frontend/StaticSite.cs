using HashiCorp.Cdktf.Providers.Aws.CloudfrontDistribution;
using HashiCorp.Cdktf.Providers.Aws.CloudfrontOriginAccessControl;
using HashiCorp.Cdktf.Providers.Aws.CloudfrontResponseHeadersPolicy;
using HashiCorp.Cdktf.Providers.Aws.CloudwatchLogDelivery;
using HashiCorp.Cdktf.Providers.Aws.CloudwatchLogDeliveryDestination;
using HashiCorp.Cdktf.Providers.Aws.CloudwatchLogDeliverySource;
using HashiCorp.Cdktf.Providers.Aws.S3Object;

namespace MlopsTf.Constructs.Frontend;

/// <summary>Props for <see cref="StaticSite"/>.</summary>
public sealed record StaticSiteProps
{
    /// <summary>Name of the distribution's policies, key alias, log group and log delivery (e.g. <c>mlopstf-staging-frontend</c>).</summary>
    public required string SiteName { get; init; }

    /// <summary>Name of the site's bucket (globally unique).</summary>
    public required string BucketName { get; init; }

    /// <summary>The site's domain (the distribution's alias and the certificate's name).</summary>
    public required string DomainName { get; init; }

    /// <summary>ACM certificate for <see cref="DomainName"/> in us-east-1 (CloudFront takes certificates from there only).</summary>
    public required string CertificateArn { get; init; }

    /// <summary>WAFv2 web ACL (scope CLOUDFRONT) in front of the site; null for none. Default: null.</summary>
    public string? WebAclArn { get; init; }

    /// <summary>Folder of the page's files (uploaded as they are; <c>config.json</c> is generated).</summary>
    public required string SourceDirectory { get; init; }

    /// <summary>The generated <c>config.json</c>: name → value (references allowed), e.g. <c>apiUrl</c>.</summary>
    public required IReadOnlyDictionary<string, string> Configuration { get; init; }

    /// <summary>Origins the page may call (CSP <c>connect-src</c>), e.g. the API's URL.</summary>
    public required IReadOnlyList<string> ConnectOrigins { get; init; }

    /// <summary>Bucket receiving the site bucket's server access logs.</summary>
    public required SecureBucket AccessLogBucket { get; init; }

    /// <summary>Key of the CloudFront access log group.</summary>
    public required CustomerManagedKey LogsKey { get; init; }

    /// <summary>Retention of the CloudFront access logs in days.</summary>
    public required int LogRetentionDays { get; init; }

    /// <summary>Let Terraform delete the site bucket with its objects (dev). Default: false.</summary>
    public bool AllowForceDestroy { get; init; }
}

/// <summary>
/// A static site on S3 behind CloudFront: a private, KMS-encrypted bucket that only this distribution may read
/// (origin access control, SigV4, the bucket and key policies naming the distribution), HTTPS only on the site's own
/// certificate with TLS 1.2 (2021 policy) at least, security headers (HSTS, CSP limited to the site and the API, no
/// framing, no sniffing, no referrer), compression, an optional WAF web ACL, access logs to an encrypted log group
/// (CloudFront standard logging v2), the page's files and a <c>config.json</c> generated from the platform's outputs.
/// </summary>
/// <remarks>
/// A change of any file (a new version in the bucket) invalidates the site's paths in CloudFront
/// (<see cref="CacheInvalidation"/>). <c>index.html</c> and <c>config.json</c> also carry <c>Cache-Control: no-cache</c>,
/// so browsers revalidate them; the other files are cached for 5 minutes.
/// </remarks>
public sealed class StaticSite : Construct
{
    /// <summary>AWS's managed CachingOptimized cache policy.</summary>
    public const string CachingOptimizedPolicyId = "658327ea-f89d-4fab-a63d-7e88639e58f6";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript; charset=utf-8", [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json", [".svg"] = "image/svg+xml", [".png"] = "image/png", [".ico"] = "image/x-icon",
    };

    private static readonly string[] NoCache = ["index.html", "config.json"];

    /// <summary>An ACM certificate in us-east-1, the only Region CloudFront takes certificates from.</summary>
    public static readonly Regex CertificateArnPattern = new(@"^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate/[0-9a-f-]{36}$", RegexOptions.CultureInvariant);

    /// <summary>The distribution.</summary>
    public CloudfrontDistribution Distribution { get; }

    /// <summary>The bucket holding the site.</summary>
    public SecureBucket Bucket { get; }

    /// <summary>The invalidation of the site's files each time one of them changes.</summary>
    public CacheInvalidation Invalidation { get; }

    /// <summary>The site's URL (<c>https://&lt;domain&gt;/</c>).</summary>
    public string Url { get; }

    /// <summary>Creates the distribution, its bucket, key, policies, files and logging.</summary>
    public StaticSite(Construct scope, string id, StaticSiteProps props) : base(scope, id)
    {
        var context = StackContext.Of(scope);
        var files = Validate(props);
        var bucketName = props.BucketName;
        var oac = new CloudfrontOriginAccessControl(this, "origin-access-control", new CloudfrontOriginAccessControlConfig
        {
            Name = props.SiteName,
            Description = $"CloudFront reads {bucketName} signed (SigV4)",
            OriginAccessControlOriginType = "s3",
            SigningBehavior = "always",
            SigningProtocol = "sigv4",
        });
        var headers = new CloudfrontResponseHeadersPolicy(this, "security-headers", new CloudfrontResponseHeadersPolicyConfig
        {
            Name = $"{props.SiteName}-security-headers",
            SecurityHeadersConfig = new CloudfrontResponseHeadersPolicySecurityHeadersConfig
            {
                ContentSecurityPolicy = new CloudfrontResponseHeadersPolicySecurityHeadersConfigContentSecurityPolicy
                {
                    ContentSecurityPolicy = $"default-src 'self'; connect-src 'self' {string.Join(' ', props.ConnectOrigins)}; img-src 'self' data:; "
                        + "script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
                    Override = true,
                },
                ContentTypeOptions = new CloudfrontResponseHeadersPolicySecurityHeadersConfigContentTypeOptions { Override = true },
                FrameOptions = new CloudfrontResponseHeadersPolicySecurityHeadersConfigFrameOptions { FrameOption = "DENY", Override = true },
                ReferrerPolicy = new CloudfrontResponseHeadersPolicySecurityHeadersConfigReferrerPolicy { ReferrerPolicy = "no-referrer", Override = true },
                StrictTransportSecurity = new CloudfrontResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurity
                {
                    AccessControlMaxAgeSec = 63_072_000, IncludeSubdomains = true, Preload = true, Override = true,
                },
                XssProtection = new CloudfrontResponseHeadersPolicySecurityHeadersConfigXssProtection { ModeBlock = true, Protection = true, Override = true },
            },
        });
        Distribution = new CloudfrontDistribution(this, "distribution", new CloudfrontDistributionConfig
        {
            Enabled = true,
            Comment = $"{props.SiteName}: {props.DomainName}",
            Aliases = [props.DomainName],
            DefaultRootObject = "index.html",
            HttpVersion = "http2and3",
            IsIpv6Enabled = true,
            PriceClass = "PriceClass_100",
            WebAclId = props.WebAclArn,
            Origin = new ICloudfrontDistributionOrigin[]
            {
                new CloudfrontDistributionOrigin
                {
                    OriginId = "site-bucket",
                    // The bucket's regional name, spelled out: the distribution comes first because the bucket and key
                    // policies name it.
                    DomainName = $"{bucketName}.s3.{context.Region}.amazonaws.com",
                    OriginAccessControlId = oac.Id,
                },
            },
            DefaultCacheBehavior = new CloudfrontDistributionDefaultCacheBehavior
            {
                TargetOriginId = "site-bucket",
                ViewerProtocolPolicy = "redirect-to-https",
                AllowedMethods = ["GET", "HEAD"],
                CachedMethods = ["GET", "HEAD"],
                CachePolicyId = CachingOptimizedPolicyId,
                ResponseHeadersPolicyId = headers.Id,
                Compress = true,
            },
            Restrictions = new CloudfrontDistributionRestrictions
            {
                GeoRestriction = new CloudfrontDistributionRestrictionsGeoRestriction { RestrictionType = "none" },
            },
            ViewerCertificate = new CloudfrontDistributionViewerCertificate
            {
                AcmCertificateArn = props.CertificateArn,
                SslSupportMethod = "sni-only",
                MinimumProtocolVersion = "TLSv1.2_2021",
            },
        });
        var fromDistribution = Policy.When("StringEquals", "AWS:SourceArn", Distribution.Arn);
        var cloudFront = Policy.Principal("Service", "cloudfront.amazonaws.com");
        var key = new CustomerManagedKey(this, "key", new CustomerManagedKeyProps
        {
            Alias = props.SiteName,
            Description = $"Encrypts the files of {props.DomainName}; CloudFront decrypts them for this distribution only",
            AdditionalStatements = [Policy.Allow("DistributionDecryptsSite", ["kms:Decrypt"], ["*"], cloudFront, [fromDistribution])],
        });
        Bucket = new SecureBucket(this, "bucket", new SecureBucketProps
        {
            BucketName = bucketName,
            EncryptionKey = key,
            AccessLogBucket = props.AccessLogBucket,
            AllowForceDestroy = props.AllowForceDestroy,
            AdditionalPolicyStatements = [Policy.Allow("DistributionReadsSite", ["s3:GetObject"], [$"arn:{context.Partition}:s3:::{bucketName}/*"], cloudFront, [fromDistribution])],
        });
        var objects = new List<(string Key, S3Object Object)>();
        foreach (var (relative, path) in files)
            // Base64: the files' bytes as they are (also binary ones), without Terraform reading ${...} in them as a
            // template, and on one line, which cdktf synth --hcl prints unchanged (its heredocs add a newline).
            objects.Add((relative, Object($"file-{relative.Replace('/', '-')}", relative, base64: Convert.ToBase64String(File.ReadAllBytes(path)))));
        objects.Add(("config.json", Object("config", "config.json", content: JsonExpression.Encode(JsonSerializer.Serialize(props.Configuration), "content"))));
        Invalidation = new CacheInvalidation(this, "cache-invalidation", new CacheInvalidationProps
        {
            DistributionId = Distribution.Id,
            // "/" too: CloudFront caches the default root object under the path viewers ask for.
            Paths = ["/", .. objects.Select(o => "/" + o.Key)],
            Triggers = objects.ToDictionary(o => o.Key, o => o.Object.VersionId),
        });
        Url = $"https://{props.DomainName}/";

        var logs = new EncryptedLogGroup(this, "access-logs", new EncryptedLogGroupProps
        {
            LogGroupName = $"/aws/cloudfront/{props.SiteName}",
            EncryptionKey = props.LogsKey,
            RetentionInDays = props.LogRetentionDays,
        });
        var source = new CloudwatchLogDeliverySource(this, "log-source", new CloudwatchLogDeliverySourceConfig
        {
            Name = $"{props.SiteName}-access",
            LogType = "ACCESS_LOGS",
            ResourceArn = Distribution.Arn,
        });
        var destination = new CloudwatchLogDeliveryDestination(this, "log-destination", new CloudwatchLogDeliveryDestinationConfig
        {
            Name = $"{props.SiteName}-access",
            DeliveryDestinationConfiguration = new ICloudwatchLogDeliveryDestinationDeliveryDestinationConfiguration[]
            {
                new CloudwatchLogDeliveryDestinationDeliveryDestinationConfiguration { DestinationResourceArn = logs.Arn },
            },
        });
        new CloudwatchLogDelivery(this, "log-delivery", new CloudwatchLogDeliveryConfig
        {
            DeliverySourceName = source.Name,
            DeliveryDestinationArn = destination.Arn,
        });
    }

    private S3Object Object(string id, string key, string? content = null, string? base64 = null) =>
        new(this, id, new S3ObjectConfig
        {
            Bucket = Bucket.Name,
            Key = key,
            Content = content,
            ContentBase64 = base64,
            ContentType = ContentTypes.GetValueOrDefault(Path.GetExtension(key), "application/octet-stream"),
            CacheControl = NoCache.Contains(key) ? "no-cache" : "public, max-age=300",
            DependsOn = [Bucket.BucketPolicy],
        });

    /// <summary>The keys the site uploads from <paramref name="sourceDirectory"/>, <c>config.json</c> included (what a plan reads back).</summary>
    public static IReadOnlyList<string> ObjectKeys(string sourceDirectory) => [.. Files(sourceDirectory).Select(f => f.Relative), "config.json"];

    private static List<(string Relative, string Path)> Files(string sourceDirectory) =>
        [.. Directory.GetFiles(sourceDirectory, "*", SearchOption.AllDirectories)
            .Select(f => (Relative: Path.GetRelativePath(sourceDirectory, f).Replace('\\', '/'), Path: f))
            .Where(f => !f.Relative.Split('/').Any(part => part.StartsWith('.') || part == "node_modules"))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)];

    private static List<(string Relative, string Path)> Validate(StaticSiteProps p)
    {
        if (!Directory.Exists(p.SourceDirectory))
            throw new ArgumentException($"StaticSiteProps.SourceDirectory = \"{p.SourceDirectory}\" for {p.SiteName} does not exist: point it at the page's folder (frontend/).");
        var files = Files(p.SourceDirectory);
        if (files.All(f => f.Relative != "index.html"))
            throw new ArgumentException($"StaticSiteProps.SourceDirectory = \"{p.SourceDirectory}\" has no index.html: the distribution serves it at /.");
        if (files.Any(f => f.Relative == "config.json"))
            throw new ArgumentException($"StaticSiteProps.SourceDirectory = \"{p.SourceDirectory}\" holds a config.json: it is generated from StaticSiteProps.Configuration; remove the file.");
        if (files.FirstOrDefault(f => !ContentTypes.ContainsKey(Path.GetExtension(f.Relative))) is { Relative: { } unknown })
            throw new ArgumentException($"StaticSiteProps.SourceDirectory holds {unknown}, whose content type is unknown: use .html, .js, .css, .json, .svg, .png or .ico.");
        if (!CertificateArnPattern.IsMatch(p.CertificateArn))
            throw new ArgumentException($"StaticSiteProps.CertificateArn = \"{p.CertificateArn}\" for {p.SiteName}: CloudFront needs an ACM certificate in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<id>).");
        return files;
    }
}
