namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>
/// CloudFront distributions serve HTTPS only with TLS 1.2 or later on their own certificate, read S3 origins through
/// origin access control, send security headers and log access (standard logging v2 delivery source or legacy
/// logging). Mirrors CKV_AWS_174, CKV_AWS_34, CKV2_AWS_46, CKV2_AWS_32, CKV_AWS_86.
/// </summary>
public sealed class CloudFrontDistributionRule() : ResourceRule(
    "MLOPSTF-CF-001",
    "CloudFront: HTTPS with TLS 1.2+, origin access control for S3, security headers, access logs",
    "CKV_AWS_174, CKV_AWS_34, CKV2_AWS_46, CKV2_AWS_32, CKV_AWS_86",
    "aws_cloudfront_distribution")
{
    private static readonly string[] ModernPolicies = ["TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.3_2025"];

    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource distribution)
    {
        var certificate = First(distribution.Body["viewer_certificate"]);
        if (certificate?["cloudfront_default_certificate"]?.GetValue<bool>() == true || certificate?["minimum_protocol_version"]?.GetValue<string>() is not { } version || !ModernPolicies.Contains(version))
            yield return new("viewers may connect with TLS below 1.2 (the default certificate allows TLSv1)",
                "serve an ACM certificate of the site's domain with minimum_protocol_version TLSv1.2_2021");
        var behaviors = new[] { First(distribution.Body["default_cache_behavior"]) }.Concat(distribution.Body["ordered_cache_behavior"]?.AsArray() ?? []).OfType<JsonNode>();
        if (behaviors.Any(b => b["viewer_protocol_policy"]?.GetValue<string>() == "allow-all"))
            yield return new("a cache behavior serves plain HTTP", "set viewer_protocol_policy to redirect-to-https or https-only");
        if (behaviors.Any(b => b["response_headers_policy_id"] is null))
            yield return new("a cache behavior sends no security headers", "attach a response headers policy with HSTS, CSP, frame and content-type options");
        foreach (var origin in (distribution.Body["origin"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var domain = origin["domain_name"]?.GetValue<string>() ?? "";
            if (domain.Contains(".s3.", StringComparison.Ordinal) && origin["origin_access_control_id"] is null)
                yield return new($"S3 origin {origin["origin_id"]} is read without origin access control", "create an aws_cloudfront_origin_access_control (sigv4, always) and set origin_access_control_id");
        }
        var logsV2 = stack.Resources("aws_cloudwatch_log_delivery_source").Any(s => s.String("resource_arn") == distribution.Ref("arn"));
        if (!logsV2 && distribution.Body["logging_config"] is null)
            yield return new("access is not logged", "add an aws_cloudwatch_log_delivery_source (ACCESS_LOGS) for the distribution with a delivery, or logging_config");
    }

    private static JsonNode? First(JsonNode? node) => node is JsonArray array ? array.FirstOrDefault() : node;
}
