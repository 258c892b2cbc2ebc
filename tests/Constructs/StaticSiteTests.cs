using MlopsTf.Constructs.Frontend;

namespace MlopsTf.Tests.Constructs;

[Collection(JsiiCollection.Name)]
public class StaticSiteTests
{
    private static StackDocument Staging => SynthesizedApp.Instance.Document("staging");

    private static JsonNode One(JsonNode? node) => node is JsonArray array ? array[0]! : node!;

    [Fact]
    public void The_distribution_serves_https_only_with_tls_1_2_on_the_site_s_certificate_and_security_headers()
    {
        var stack = Staging;
        var d = stack.Resource("aws_cloudfront_distribution", "frontend/distribution");
        Assert.Equal(["staging.app.example.com"], JsonValues.Strings(d["aliases"]));
        var certificate = One(d["viewer_certificate"]);
        Assert.Equal(("TLSv1.2_2021", "sni-only"), (certificate["minimum_protocol_version"]!.GetValue<string>(), certificate["ssl_support_method"]!.GetValue<string>()));
        Assert.StartsWith("arn:aws:acm:us-east-1:444455556666:certificate/", certificate["acm_certificate_arn"]!.GetValue<string>());
        var behavior = One(d["default_cache_behavior"]);
        Assert.Equal("redirect-to-https", behavior["viewer_protocol_policy"]!.GetValue<string>());
        Assert.Equal(["GET", "HEAD"], JsonValues.Strings(behavior["allowed_methods"]));
        Assert.Equal(stack.Ref("aws_cloudfront_response_headers_policy", "frontend/security-headers", "id"), behavior["response_headers_policy_id"]!.GetValue<string>());
        var origin = One(d["origin"]);
        Assert.Equal("mlopstf-staging-frontend-444455556666.s3.us-east-1.amazonaws.com", origin["domain_name"]!.GetValue<string>());
        Assert.Equal("mlopstf-staging-frontend-444455556666", stack.Resource("aws_s3_bucket", "frontend/bucket/bucket")["bucket"]!.GetValue<string>());
        Assert.Equal(stack.Ref("aws_cloudfront_origin_access_control", "frontend/origin-access-control", "id"), origin["origin_access_control_id"]!.GetValue<string>());
        var oac = stack.Resource("aws_cloudfront_origin_access_control", "frontend/origin-access-control");
        Assert.Equal(("s3", "always", "sigv4"), (oac["origin_access_control_origin_type"]!.GetValue<string>(), oac["signing_behavior"]!.GetValue<string>(), oac["signing_protocol"]!.GetValue<string>()));

        var headers = One(stack.Resource("aws_cloudfront_response_headers_policy", "frontend/security-headers")["security_headers_config"]);
        var hsts = One(headers["strict_transport_security"]);
        Assert.Equal((63_072_000, true, true), (hsts["access_control_max_age_sec"]!.GetValue<int>(), hsts["include_subdomains"]!.GetValue<bool>(), hsts["preload"]!.GetValue<bool>()));
        Assert.Equal("DENY", One(headers["frame_options"])["frame_option"]!.GetValue<string>());
        var csp = One(headers["content_security_policy"])["content_security_policy"]!.GetValue<string>();
        Assert.Contains($"connect-src 'self' {stack.Ref("aws_apigatewayv2_api", "inference-api/api", "api_endpoint")}/predict;", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
    }

    [Fact]
    public void Only_this_distribution_may_read_and_decrypt_the_site()
    {
        var stack = Staging;
        var distribution = stack.Ref("aws_cloudfront_distribution", "frontend/distribution", "arn");
        var read = JsonValues.BySid(stack.Statements("frontend/bucket/policy-document"))["DistributionReadsSite"];
        Assert.Equal(["s3:GetObject"], JsonValues.Strings(read["actions"]));
        Assert.Equal(["arn:aws:s3:::mlopstf-staging-frontend-444455556666/*"], JsonValues.Strings(read["resources"]));
        Assert.Equal(["cloudfront.amazonaws.com"], JsonValues.Strings(read["principals"]![0]!["identifiers"]));
        Assert.Equal([distribution], JsonValues.Strings(read["condition"]![0]!["values"]));
        var decrypt = JsonValues.BySid(stack.Statements("frontend/key/policy"))["DistributionDecryptsSite"];
        Assert.Equal(["kms:Decrypt"], JsonValues.Strings(decrypt["actions"]));
        Assert.Equal([distribution], JsonValues.Strings(decrypt["condition"]![0]!["values"]));
        Assert.Equal(stack.Ref("aws_kms_key", "frontend/key/key", "arn"),
            One(stack.Resource("aws_s3_bucket_server_side_encryption_configuration", "frontend/bucket/encryption")["rule"])["apply_server_side_encryption_by_default"]!["kms_master_key_id"]!.GetValue<string>());
    }

    [Fact]
    public void The_page_and_a_config_json_naming_the_api_are_uploaded_with_their_caching()
    {
        var stack = Staging;
        var objects = stack.Resources("aws_s3_object", "frontend/").ToDictionary(o => o.String("key")!);
        Assert.Equal(["app.js", "config.json", "index.html", "style.css"], objects.Keys.Order());
        Assert.Equal(Convert.ToBase64String(File.ReadAllBytes(Path.Combine(RepoPaths.Root, "frontend", "index.html"))), objects["index.html"].String("content_base64"));
        Assert.Equal(("no-cache", "no-cache", "public, max-age=300"),
            (objects["index.html"].String("cache_control"), objects["config.json"].String("cache_control"), objects["app.js"].String("cache_control")));
        Assert.Equal("text/html; charset=utf-8", objects["index.html"].String("content_type"));
        var config = JsonExpression.Decode(objects["config.json"].String("content"))!;
        Assert.Equal($"{stack.Ref("aws_apigatewayv2_api", "inference-api/api", "api_endpoint")}/predict", config["apiUrl"]!.GetValue<string>());
        Assert.Equal("https://staging.app.example.com/", stack.Json["output"]!["site_url"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Access_is_logged_to_an_encrypted_log_group()
    {
        var stack = Staging;
        var source = stack.Resource("aws_cloudwatch_log_delivery_source", "frontend/log-source");
        Assert.Equal(("ACCESS_LOGS", stack.Ref("aws_cloudfront_distribution", "frontend/distribution", "arn")), (source.String("log_type"), source.String("resource_arn")));
        var destination = stack.Resource("aws_cloudwatch_log_delivery_destination", "frontend/log-destination");
        Assert.Equal(stack.Ref("aws_cloudwatch_log_group", "frontend/access-logs/log-group", "arn"), One(destination["delivery_destination_configuration"])["destination_resource_arn"]!.GetValue<string>());
        Assert.Equal(stack.Ref("aws_kms_key", "logs-key/key", "arn"), stack.Resource("aws_cloudwatch_log_group", "frontend/access-logs/log-group").String("kms_key_id"));
    }

    [Fact]
    public void Dev_and_prod_have_no_site() =>
        Assert.All(new[] { "dev", "prod" }, env => Assert.Empty(SynthesizedApp.Instance.Document(env).Resources("aws_cloudfront_distribution")));

    [Theory]
    [InlineData("no-api", "Serving.Frontend")]
    [InlineData("cors", "Serving.PublicApi.CorsOrigins")]
    [InlineData("certificate", "Serving.Frontend.CertificateArn")]
    [InlineData("domain", "Serving.Frontend.DomainName")]
    [InlineData("waf", "Serving.Frontend.WebAclArn")]
    public void The_configuration_refuses_a_site_the_api_or_cloudfront_would_not_serve(string kind, string field)
    {
        var staging = Staging_Config;
        var site = staging.Serving.Frontend!;
        var serving = kind switch
        {
            "no-api" => staging.Serving with { PublicApi = null },
            "cors" => staging.Serving with { PublicApi = staging.Serving.PublicApi! with { CorsOrigins = ["https://other.example.com"] } },
            "certificate" => staging.Serving with { Frontend = site with { CertificateArn = "arn:aws:acm:eu-west-1:444455556666:certificate/5c1f2b7e-3d4a-4e8b-9c6d-0a1b2c3d4e5f" } },
            "domain" => staging.Serving with { Frontend = site with { DomainName = "https://staging.app.example.com" } },
            _ => staging.Serving with { Frontend = site with { WebAclArn = "arn:aws:wafv2:us-east-1:444455556666:regional/webacl/site/5c1f2b7e-3d4a-4e8b-9c6d-0a1b2c3d4e5f" } },
        };
        var errors = EnvironmentValidator.Validate([staging with { Serving = serving }]);
        Assert.Contains(field, errors.Select(e => e.Field));
    }

    private static EnvironmentConfig Staging_Config => Platform.Environments.Single(e => e.Name == "staging");

    [Fact]
    public void A_folder_without_index_html_or_with_its_own_config_json_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("mlopstf-site-").FullName;
        File.WriteAllText(Path.Combine(folder, "app.js"), "");
        StaticSite Build(string id) => new(Scratch.Stack(id), "site", new StaticSiteProps
        {
            SiteName = "s", BucketName = "s-bucket", DomainName = "a.example.com",
            CertificateArn = "arn:aws:acm:us-east-1:111122223333:certificate/5c1f2b7e-3d4a-4e8b-9c6d-0a1b2c3d4e5f",
            SourceDirectory = folder, Configuration = new Dictionary<string, string>(), ConnectOrigins = [],
            AccessLogBucket = null!, LogsKey = null!, LogRetentionDays = 30,
        });
        Scratch.Rejects(() => Build("a"), "has no index.html");
        File.WriteAllText(Path.Combine(folder, "index.html"), "");
        File.WriteAllText(Path.Combine(folder, "config.json"), "{}");
        Scratch.Rejects(() => Build("b"), "config.json", "generated");
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void A_cache_invalidation_without_paths_or_triggers_or_with_wildcards_or_too_many_paths_is_refused()
    {
        CacheInvalidation Build(string id, IReadOnlyList<string> paths, int triggers = 1) => new(Scratch.Stack(id), "invalidation", new CacheInvalidationProps
        {
            DistributionId = "E2QWRUHAPOMQZL",
            Paths = paths,
            Triggers = Enumerable.Range(0, triggers).ToDictionary(i => $"file{i}", i => "v1"),
        });
        Scratch.Rejects(() => Build("a", []), "CacheInvalidationProps.Paths is empty");
        Scratch.Rejects(() => Build("b", ["/index.html", "/assets/*"]), "\"/assets/*\"", "no wildcards");
        Scratch.Rejects(() => Build("c", ["/my page.html"]), "\"/my page.html\"", "no spaces");
        Scratch.Rejects(() => Build("d", [.. Enumerable.Range(0, CacheInvalidation.MaxPaths + 1).Select(i => $"/f{i}.js")]), "3001 paths", "at most 3000");
        Scratch.Rejects(() => Build("e", ["/"], triggers: 0), "CacheInvalidationProps.Triggers is empty");
        Assert.Equal("aws cloudfront create-invalidation --distribution-id \"$DISTRIBUTION_ID\" --paths '/' '/index.html' --query Invalidation.Id --output text",
            Build("f", ["/", "/index.html"]).Command);
    }
}
