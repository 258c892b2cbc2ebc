using System.Text.Json.Nodes;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.S3Bucket;
using MlopsTf.Constructs.Policies;
using MlopsTf.Environments;
using MlopsTf.Tests.Support;

namespace MlopsTf.Tests.Policies;

/// <summary>
/// Each rule: the shipped stacks comply (the compliant case), and a copy of a shipped stack broken the way the rule
/// forbids yields exactly the expected finding (the non-compliant case).
/// </summary>
[Collection(JsiiCollection.Name)]
public class PolicyRuleTests
{
    public static TheoryData<string> RuleIds => new(PolicyPack.Rules.Select(r => r.Id));

    private static StackDocument Broken(string stack, Action<JsonObject> breakIt)
    {
        var json = JsonNode.Parse(SynthesizedApp.Instance.StackText(stack))!.AsObject();
        breakIt(json);
        return new StackDocument(stack, json);
    }

    private static JsonObject Resource(JsonObject stack, string type, string pathSuffix) =>
        stack["resource"]![type]!.AsObject()
            .Single(kv => kv.Value!["//"]!["metadata"]!["path"]!.GetValue<string>().EndsWith(pathSuffix, StringComparison.Ordinal)).Value!.AsObject();

    private static void RemoveResource(JsonObject stack, string type, string pathSuffix)
    {
        var name = stack["resource"]![type]!.AsObject()
            .Single(kv => kv.Value!["//"]!["metadata"]!["path"]!.GetValue<string>().EndsWith(pathSuffix, StringComparison.Ordinal)).Key;
        stack["resource"]![type]!.AsObject().Remove(name);
    }

    private static PolicyFinding Single(StackDocument doc, string ruleId)
    {
        var findings = PolicyPack.Evaluate(doc).Findings.Where(f => f.RuleId == ruleId).ToList();
        Assert.True(findings.Count == 1, $"expected one {ruleId} finding, got {findings.Count}:\n{string.Join("\n", findings)}");
        return findings[0];
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Shipped_stacks_comply(string ruleId)
    {
        foreach (var stack in SynthesizedApp.Instance.StackNames)
            Assert.DoesNotContain(PolicyPack.Evaluate(new StackDocument(stack, SynthesizedApp.Instance.Stack(stack))).Findings, f => f.RuleId == ruleId);
    }

    public static TheoryData<string, string, string> Violations => new()
    {
        { "MLOPSTF-S3-001", "data-bucket/bucket", "leaves restrict_public_buckets off" },
        { "MLOPSTF-S3-002", "models-bucket/bucket", "versioning is not enabled" },
        { "MLOPSTF-S3-003", "artifacts-bucket/bucket", "not SSE-KMS" },
        { "MLOPSTF-S3-004", "data-bucket/bucket", "server access logging is off" },
        { "MLOPSTF-S3-005", "models-bucket/bucket", "aborts incomplete multipart uploads" },
        { "MLOPSTF-KMS-001", "data-key/key", "key rotation is off" },
        { "MLOPSTF-ECR-001", "training-repository/repository", "image tags are mutable" },
        { "MLOPSTF-LOG-001", "network/flow-log-group/log-group", "keeps logs forever" },
        { "MLOPSTF-LAMBDA-001", "data-validation/function", "X-Ray tracing is not active" },
        { "MLOPSTF-SFN-001", "training-pipeline/state-machine", "not at level ALL" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void Breaking_the_rule_is_found(string ruleId, string path, string problem)
    {
        var doc = Broken("dev", stack =>
        {
            switch (ruleId)
            {
                case "MLOPSTF-S3-001": Resource(stack, "aws_s3_bucket_public_access_block", "data-bucket/public-access-block")["restrict_public_buckets"] = false; break;
                case "MLOPSTF-S3-002": Resource(stack, "aws_s3_bucket_versioning", "models-bucket/versioning")["versioning_configuration"]!["status"] = "Suspended"; break;
                case "MLOPSTF-S3-003": Resource(stack, "aws_s3_bucket_server_side_encryption_configuration", "artifacts-bucket/encryption")["rule"]![0]!["apply_server_side_encryption_by_default"] = new JsonObject { ["sse_algorithm"] = "AES256" }; break;
                case "MLOPSTF-S3-004": RemoveResource(stack, "aws_s3_bucket_logging", "data-bucket/access-logging"); break;
                case "MLOPSTF-S3-005": RemoveResource(stack, "aws_s3_bucket_lifecycle_configuration", "models-bucket/lifecycle"); break;
                case "MLOPSTF-KMS-001": Resource(stack, "aws_kms_key", "data-key/key")["enable_key_rotation"] = false; break;
                case "MLOPSTF-ECR-001": Resource(stack, "aws_ecr_repository", "training-repository/repository")["image_tag_mutability"] = "MUTABLE"; break;
                case "MLOPSTF-LOG-001": Resource(stack, "aws_cloudwatch_log_group", "network/flow-log-group/log-group").Remove("retention_in_days"); break;
                case "MLOPSTF-LAMBDA-001": Resource(stack, "aws_lambda_function", "data-validation/function")["tracing_config"]!["mode"] = "PassThrough"; break;
                case "MLOPSTF-SFN-001": Resource(stack, "aws_sfn_state_machine", "training-pipeline/state-machine")["logging_configuration"]!["level"] = "ERROR"; break;
            }
        });
        var finding = Single(doc, ruleId);
        Assert.EndsWith(path, finding.Path);
        Assert.Contains(problem, finding.Problem);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.False(string.IsNullOrWhiteSpace(finding.Fix));
    }

    [Fact]
    public void Every_rule_has_a_violation_test_a_stable_id_and_the_scanner_ids_it_mirrors()
    {
        Assert.Equal(PolicyPack.Rules.Select(r => r.Id).Order(), Violations.Select(v => (string)v[0]).Order());
        Assert.All(PolicyPack.Rules, r =>
        {
            Assert.Matches("^MLOPSTF-[A-Z0-9]+-[0-9]{3}$", r.Id);
            Assert.False(string.IsNullOrWhiteSpace(r.Mirrors));
        });
        Assert.Equal(PolicyPack.Rules.Count, PolicyPack.Rules.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void Waivers_in_use_are_listed_with_their_reasons()
    {
        var waived = SynthesizedApp.Instance.StackNames
            .SelectMany(s => PolicyPack.Evaluate(new StackDocument(s, SynthesizedApp.Instance.Stack(s))).Waived)
            .Select(w => (w.Finding.RuleId, w.Finding.Path.Split('/', 2)[1])).Distinct().Order().ToList();
        Assert.Equal(
        [
            ("MLOPSTF-S3-003", "access-logs-bucket/bucket"), ("MLOPSTF-S3-003", "state-access-logs/bucket"),
            ("MLOPSTF-S3-004", "access-logs-bucket/bucket"), ("MLOPSTF-S3-004", "state-access-logs/bucket"),
        ], waived);
    }

    [Theory]
    [InlineData("MLOPSTF-NOPE-001", "because", "waives unknown rule MLOPSTF-NOPE-001")]
    [InlineData("MLOPSTF-S3-004", " ", "waives MLOPSTF-S3-004 without a reason")]
    public void A_waiver_for_an_unknown_rule_or_without_a_reason_is_itself_an_error(string ruleId, string reason, string problem)
    {
        var doc = Broken("dev", stack =>
            Resource(stack, "aws_s3_bucket", "data-bucket/bucket")["//"]![Waivers.Key] = new JsonObject { [ruleId] = reason });
        var finding = Single(doc, PolicyPack.WaiverRuleId);
        Assert.Contains(problem, finding.Problem);
        Assert.EndsWith("data-bucket/bucket", finding.Path);
    }

    [Fact]
    public void Synth_with_a_violation_fails_lists_every_finding_and_leaves_no_stacks()
    {
        var outdir = Path.Combine(Path.GetTempPath(), $"mlopstf-policy-fail-{Environment.ProcessId}");
        if (Directory.Exists(outdir)) Directory.Delete(outdir, recursive: true);
        var app = new App(new AppConfig { Outdir = outdir });
        var stack = new TerraformStack(app, "careless");
        new HashiCorp.Cdktf.Providers.Aws.Provider.AwsProvider(stack, "aws", new HashiCorp.Cdktf.Providers.Aws.Provider.AwsProviderConfig { Region = "us-east-1" });
        new S3Bucket(stack, "naked", new S3BucketConfig { Bucket = "a-naked-bucket" });
        var policy = new PolicyAspect();
        Aspects.Of(stack).Add(policy);
        var errors = new StringWriter();

        Assert.Equal(SynthRunner.PolicyFailure, SynthRunner.Synth(app, policy, errors));
        Assert.False(Directory.Exists(Path.Combine(outdir, "stacks")));
        foreach (var rule in new[] { "MLOPSTF-S3-001", "MLOPSTF-S3-002", "MLOPSTF-S3-003", "MLOPSTF-S3-004", "MLOPSTF-S3-005" })
            Assert.Contains($"[{rule}] careless/naked", errors.ToString());
        Assert.Contains("MLOPSTF-S3-001", File.ReadAllText(Path.Combine(outdir, "policy-report.json")));
    }
}
