using HashiCorp.Cdktf.Providers.Aws.S3Bucket;

namespace MlopsTf.Tests.Policies;

/// <summary>
/// Each rule: the shipped stacks comply (the compliant case), and a copy of a shipped stack broken the way the rule
/// forbids yields exactly the expected finding (the non-compliant case).
/// </summary>
[Collection(JsiiCollection.Name)]
public class PolicyRuleTests
{
    public static TheoryData<string> RuleIds => new(PolicyPack.Rules.Select(r => r.Id));

    private static StackDocument Broken(string stack, Action<StackDocument> breakIt)
    {
        var doc = new StackDocument(stack, JsonNode.Parse(SynthesizedApp.Instance.StackText(stack))!.AsObject());
        breakIt(doc);
        return doc;
    }

    private static void RemoveResource(StackDocument stack, string type, string pathSuffix) =>
        stack.Json["resource"]![type]!.AsObject().Remove(stack.Resource(type, pathSuffix).Name);

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
            Assert.DoesNotContain(PolicyPack.Evaluate(SynthesizedApp.Instance.Document(stack)).Findings, f => f.RuleId == ruleId);
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
        { "MLOPSTF-S3-006", "data-bucket/bucket", "no bucket policy denies requests without TLS" },
        { "MLOPSTF-S3-007", "artifacts-bucket/bucket", "not BucketOwnerEnforced" },
        { "MLOPSTF-KMS-002", "logs-key/key", "allows every principal" },
        { "MLOPSTF-VPC-001", "network/vpc", "no flow logs" },
        { "MLOPSTF-SG-001", "network/default-security-group", "keeps rules" },
        { "MLOPSTF-SG-002", "network/lambda-egress-https-to-s3", "no description" },
        { "MLOPSTF-DDB-001", "bootstrap-dev/lock-table", "point-in-time recovery is off" },
        { "MLOPSTF-SNS-001", "alerts/topic", "not encrypted with KMS" },
        { "MLOPSTF-CW-001", "monitoring/alarm-pipeline-failed", "notifies nobody" },
        { "MLOPSTF-GLUE-001", "data-preparation/job", "no security configuration" },
        { "MLOPSTF-SM-001", "studio/domain", "reach the internet directly" },
        { "MLOPSTF-SM-002", "endpoint-churn/configuration-1.1.0", "does not set kms_key_arn" },
        { "MLOPSTF-SM-003", "model-churn/version-1.1.0", "can reach the network" },
        { "MLOPSTF-SM-004", "drift-churn/job-definition", "inter-container traffic is not encrypted" },
        { "MLOPSTF-SM-005", "feature-store/group-customer-activity", "online store is not encrypted" },
        { "MLOPSTF-LAMBDA-002", "model-evaluation/function", "runtime python3.8" },
        { "MLOPSTF-LAMBDA-003", "inference-api/api-invokes-proxy", "does not pin source_arn and source_account" },
        { "MLOPSTF-IAM-001", "bootstrap-dev/apply-role-power-user", "AdministratorAccess" },
        { "MLOPSTF-IAM-002", "data-validation/role/runtime-document", "wildcard action s3:*" },
        { "MLOPSTF-OIDC-001", "bootstrap-dev/plan-role", "does not pin one repository and environment" },
        { "MLOPSTF-PROV-001", "staging/aws", "holds credentials" },
        { "MLOPSTF-SM-006", "endpoint-churn/configuration-1.1.0", "fewer than two instances" },
        { "MLOPSTF-ECR-002", "dev/public-pull", "allows every principal" },
        { "MLOPSTF-LAMBDA-004", "data-validation/function", "DB_PASSWORD looks like a secret" },
        { "MLOPSTF-GLUE-002", "data-preparation/database", "Data Catalog is not encrypted" },
        { "MLOPSTF-LOG-002", "network/flow-log-group/log-group", "less than 365 days" },
        { "MLOPSTF-IAM-003", "sagemaker-execution-role/role", "anyone may assume the role" },
        { "MLOPSTF-IAM-004", "data-validation/role/runtime-document", "allows sqs:SendMessage on every resource" },
        { "MLOPSTF-TF-001", "training-pipeline/state-machine", "definition is a JSON document written as a string with Terraform references inside" },
        { "MLOPSTF-CT-001", "bootstrap-prod/audit-trail/trail", "log file validation is off" },
        { "MLOPSTF-SSM-001", "parameters/vpc_id", "looks like a secret but is stored in plain text" },
        { "MLOPSTF-CF-001", "frontend/distribution", "viewers may connect with TLS below 1.2" },
    };

    /// <summary>Which shipped stack each violation is planted in (the rest go into dev).</summary>
    private static string StackFor(string ruleId) => ruleId switch
    {
        "MLOPSTF-DDB-001" or "MLOPSTF-IAM-001" or "MLOPSTF-OIDC-001" => "bootstrap-dev",
        "MLOPSTF-SM-002" or "MLOPSTF-SM-003" or "MLOPSTF-SM-004" or "MLOPSTF-LAMBDA-003" or "MLOPSTF-PROV-001" or "MLOPSTF-CF-001" => "staging",
        "MLOPSTF-SM-006" or "MLOPSTF-LOG-002" => "prod",
        "MLOPSTF-CT-001" => "bootstrap-prod",
        _ => "dev",
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void Breaking_the_rule_is_found(string ruleId, string path, string problem)
    {
        var doc = Broken(StackFor(ruleId), stack =>
        {
            switch (ruleId)
            {
                case "MLOPSTF-S3-001": stack.Resource("aws_s3_bucket_public_access_block", "data-bucket/public-access-block").Body["restrict_public_buckets"] = false; break;
                case "MLOPSTF-S3-002": stack.Resource("aws_s3_bucket_versioning", "models-bucket/versioning").Body["versioning_configuration"]!["status"] = "Suspended"; break;
                case "MLOPSTF-S3-003": stack.Resource("aws_s3_bucket_server_side_encryption_configuration", "artifacts-bucket/encryption").Body["rule"]![0]!["apply_server_side_encryption_by_default"] = new JsonObject { ["sse_algorithm"] = "AES256" }; break;
                case "MLOPSTF-S3-004": RemoveResource(stack, "aws_s3_bucket_logging", "data-bucket/access-logging"); break;
                case "MLOPSTF-S3-005": RemoveResource(stack, "aws_s3_bucket_lifecycle_configuration", "models-bucket/lifecycle"); break;
                case "MLOPSTF-KMS-001": stack.Resource("aws_kms_key", "data-key/key").Body["enable_key_rotation"] = false; break;
                case "MLOPSTF-ECR-001": stack.Resource("aws_ecr_repository", "training-repository/repository").Body["image_tag_mutability"] = "MUTABLE"; break;
                case "MLOPSTF-LOG-001": stack.Resource("aws_cloudwatch_log_group", "network/flow-log-group/log-group").Body.Remove("retention_in_days"); break;
                case "MLOPSTF-LAMBDA-001": stack.Resource("aws_lambda_function", "data-validation/function").Body["tracing_config"]!["mode"] = "PassThrough"; break;
                case "MLOPSTF-SFN-001": stack.Resource("aws_sfn_state_machine", "training-pipeline/state-machine").Body["logging_configuration"]!["level"] = "ERROR"; break;
                case "MLOPSTF-S3-006": RemoveResource(stack, "aws_s3_bucket_policy", "data-bucket/policy"); break;
                case "MLOPSTF-S3-007": stack.Resource("aws_s3_bucket_ownership_controls", "artifacts-bucket/ownership").Body["rule"]!["object_ownership"] = "ObjectWriter"; break;
                case "MLOPSTF-KMS-002": stack.Statements("logs-key/policy")[0]!["principals"]![0]!["identifiers"] = new JsonArray("*"); break;
                case "MLOPSTF-VPC-001": RemoveResource(stack, "aws_flow_log", "network/flow-log"); break;
                case "MLOPSTF-SG-001": stack.Resource("aws_default_security_group", "network/default-security-group").Body["egress"] = new JsonArray(new JsonObject { ["protocol"] = "-1" }); break;
                case "MLOPSTF-SG-002": stack.Resource("aws_vpc_security_group_egress_rule", "network/lambda-egress-https-to-s3").Body.Remove("description"); break;
                case "MLOPSTF-DDB-001": stack.Resource("aws_dynamodb_table", "lock-table").Body["point_in_time_recovery"]!["enabled"] = false; break;
                case "MLOPSTF-SNS-001": stack.Resource("aws_sns_topic", "alerts/topic").Body.Remove("kms_master_key_id"); break;
                case "MLOPSTF-CW-001": stack.Resource("aws_cloudwatch_metric_alarm", "monitoring/alarm-pipeline-failed").Body["actions_enabled"] = false; break;
                case "MLOPSTF-GLUE-001": stack.Resource("aws_glue_job", "data-preparation/job").Body.Remove("security_configuration"); break;
                case "MLOPSTF-SM-001": stack.Resource("aws_sagemaker_domain", "studio/domain").Body["app_network_access_type"] = "PublicInternetOnly"; break;
                case "MLOPSTF-SM-002": stack.Resource("aws_sagemaker_endpoint_configuration", "endpoint-churn/configuration-1.1.0").Body.Remove("kms_key_arn"); break;
                case "MLOPSTF-SM-003": stack.Resource("aws_sagemaker_model", "model-churn/version-1.1.0").Body["enable_network_isolation"] = false; break;
                case "MLOPSTF-SM-004": stack.Resource("aws_sagemaker_data_quality_job_definition", "drift-churn/job-definition").Body["network_config"]!["enable_inter_container_traffic_encryption"] = false; break;
                case "MLOPSTF-SM-005": stack.Resource("aws_sagemaker_feature_group", "feature-store/group-customer-activity").Body["online_store_config"]!.AsObject().Remove("security_config"); break;
                case "MLOPSTF-LAMBDA-002": stack.Resource("aws_lambda_function", "model-evaluation/function").Body["runtime"] = "python3.8"; break;
                case "MLOPSTF-LAMBDA-003": stack.Resource("aws_lambda_permission", "inference-api/api-invokes-proxy").Body.Remove("source_account"); break;
                case "MLOPSTF-IAM-001": stack.Resource("aws_iam_role_policy_attachment", "apply-role-power-user").Body["policy_arn"] = "arn:aws:iam::aws:policy/AdministratorAccess"; break;
                case "MLOPSTF-IAM-002": stack.Statements("data-validation/role/runtime-document")[0]!["actions"] = new JsonArray("s3:*"); break;
                case "MLOPSTF-OIDC-001": stack.Statements("github-plan-trust")[0]!["condition"]![1]!["values"] = new JsonArray("repo:acme-ml/*:environment:dev-plan:*"); break;
                case "MLOPSTF-PROV-001": stack.Json["provider"]!["aws"]![0]!["secret_key"] = "AKIA-not-here"; break;
                case "MLOPSTF-TF-001":
                    var machine = stack.Resource("aws_sfn_state_machine", "training-pipeline/state-machine");
                    machine.Body["definition"] = TerraformValues.ParseEmbedded(machine.String("definition"))!.ToJsonString();
                    break;
                case "MLOPSTF-SM-006": stack.Resource("aws_sagemaker_endpoint_configuration", "endpoint-churn/configuration-1.1.0").Body["production_variants"]![0]!["initial_instance_count"] = 1; break;
                case "MLOPSTF-ECR-002":
                    stack.Json["data"]!["aws_iam_policy_document"]!["public"] = new JsonObject
                    {
                        ["statement"] = new JsonArray(new JsonObject
                        {
                            ["effect"] = "Allow", ["actions"] = new JsonArray("ecr:BatchGetImage"),
                            ["principals"] = new JsonArray(new JsonObject { ["type"] = "*", ["identifiers"] = new JsonArray("*") }),
                        }),
                    };
                    stack.Json["resource"]!["aws_ecr_repository_policy"] = new JsonObject
                    {
                        ["public-pull"] = new JsonObject
                        {
                            ["repository"] = "r", ["policy"] = "${data.aws_iam_policy_document.public.json}",
                            ["//"] = new JsonObject { ["metadata"] = new JsonObject { ["path"] = "dev/public-pull" } },
                        },
                    };
                    break;
                case "MLOPSTF-LAMBDA-004": stack.Resource("aws_lambda_function", "data-validation/function").Body["environment"]!["variables"]!["DB_PASSWORD"] = "hunter2"; break;
                case "MLOPSTF-GLUE-002": stack.Json["resource"]!["aws_glue_data_catalog_encryption_settings"]!.AsObject().Clear(); break;
                case "MLOPSTF-LOG-002": stack.Resource("aws_cloudwatch_log_group", "network/flow-log-group/log-group").Body["retention_in_days"] = 90; break;
                case "MLOPSTF-IAM-003": stack.Statements("sagemaker-execution-role/trust")[0]!["principals"]![0]!["identifiers"] = new JsonArray("*"); break;
                case "MLOPSTF-SSM-001": stack.Resource("aws_ssm_parameter", "parameters/vpc_id").Body["name"] = "/mlopstf/dev/db_password"; break;
                case "MLOPSTF-CF-001": stack.Resource("aws_cloudfront_distribution", "frontend/distribution").Body["viewer_certificate"]!["minimum_protocol_version"] = "TLSv1"; break;
                case "MLOPSTF-CT-001": stack.Resource("aws_cloudtrail", "audit-trail/trail").Body["enable_log_file_validation"] = false; break;
                case "MLOPSTF-IAM-004": stack.Statements("data-validation/role/runtime-document")[1]!["resources"] = new JsonArray("*"); break;
            }
        });
        var all = PolicyPack.Evaluate(doc).Findings.Where(f => f.RuleId == ruleId).ToList();
        var finding = Assert.Single(all, f => f.Path.EndsWith(path, StringComparison.Ordinal));
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
            .SelectMany(s => PolicyPack.Evaluate(SynthesizedApp.Instance.Document(s)).Waived)
            .Select(w => (w.Finding.RuleId, w.Finding.Path.Split('/', 2)[1])).Distinct().Order().ToList();
        Assert.Equal(
        [
            ("MLOPSTF-S3-003", "access-logs-bucket/bucket"), ("MLOPSTF-S3-003", "state-access-logs/bucket"),
            ("MLOPSTF-S3-004", "access-logs-bucket/bucket"), ("MLOPSTF-S3-004", "state-access-logs/bucket"),
            ("MLOPSTF-SM-003", "model-churn/version-1.0.0"), ("MLOPSTF-SM-003", "model-churn/version-1.1.0"),
        ], waived);
    }

    [Theory]
    [InlineData("MLOPSTF-NOPE-001", "because", "waives unknown rule MLOPSTF-NOPE-001")]
    [InlineData("MLOPSTF-S3-004", " ", "waives MLOPSTF-S3-004 without a reason")]
    public void A_waiver_for_an_unknown_rule_or_without_a_reason_is_itself_an_error(string ruleId, string reason, string problem)
    {
        var doc = Broken("dev", stack =>
            stack.Resource("aws_s3_bucket", "data-bucket/bucket").Body["//"]![Waivers.Key] = new JsonObject { [ruleId] = reason });
        var finding = Single(doc, PolicyPack.WaiverRuleId);
        Assert.Contains(problem, finding.Problem);
        Assert.EndsWith("data-bucket/bucket", finding.Path);
    }

    [Fact]
    public void Synth_with_a_violation_fails_lists_every_finding_and_leaves_no_stacks()
    {
        var app = PolicySynth.FreshApp("policy-fail");
        var stack = PolicySynth.StackWithProvider(app, "careless");
        new S3Bucket(stack, "naked", new S3BucketConfig { Bucket = "a-naked-bucket" });
        var policy = new PolicyCheck();
        policy.Attach(stack);
        var errors = new StringWriter();

        Assert.Equal(SynthRunner.PolicyFailure, SynthRunner.Synth(app, policy, errors));
        Assert.False(Directory.Exists(Path.Combine(app.Outdir, "stacks")));
        foreach (var rule in new[] { "MLOPSTF-S3-001", "MLOPSTF-S3-002", "MLOPSTF-S3-003", "MLOPSTF-S3-004", "MLOPSTF-S3-005" })
            Assert.Contains($"[{rule}] careless/naked", errors.ToString());
        Assert.Contains("MLOPSTF-S3-001", File.ReadAllText(Path.Combine(app.Outdir, "policy-report.json")));
    }

    [Fact]
    public void Synth_of_an_app_that_skips_validations_fails_because_the_policy_check_did_not_run()
    {
        var app = PolicySynth.FreshApp("policy-skipped", skipValidation: true);
        var stack = PolicySynth.StackWithProvider(app, "unchecked");
        new S3Bucket(stack, "naked", new S3BucketConfig { Bucket = "a-naked-bucket" });
        var policy = new PolicyCheck();
        policy.Attach(stack);
        var errors = new StringWriter();

        Assert.Equal(SynthRunner.PolicyFailure, SynthRunner.Synth(app, policy, errors));
        Assert.Equal(["unchecked"], policy.Unchecked);
        Assert.False(Directory.Exists(Path.Combine(app.Outdir, "stacks")));
        Assert.Contains("Policy check did not run on unchecked: AppConfig.SkipValidation is true", errors.ToString());
        Assert.Contains("Fix: create the App without SkipValidation", errors.ToString());
    }

    [Fact]
    public void The_policy_check_evaluates_the_stacks_it_is_attached_to_with_their_nested_constructs()
    {
        var app = PolicySynth.FreshApp("policy-attached");
        var policy = new PolicyCheck();
        new S3Bucket(PolicySynth.StackWithProvider(app, "not-attached"), "naked", new S3BucketConfig { Bucket = "not-checked" });
        var stack = PolicySynth.StackWithProvider(app, "attached");
        new S3Bucket(new global::Constructs.Construct(stack, "nested"), "naked", new S3BucketConfig { Bucket = "a-naked-bucket" });
        policy.Attach(stack);
        var errors = new StringWriter();

        Assert.Equal(SynthRunner.PolicyFailure, SynthRunner.Synth(app, policy, errors));
        Assert.Equal(["attached"], policy.Results.Keys);
        Assert.Empty(policy.Unchecked);
        Assert.Contains("[MLOPSTF-S3-001] attached/nested/naked", errors.ToString());
        Assert.DoesNotContain("not-attached", errors.ToString());
    }
}

public class PolicyRuleDocumentationTests
{
    [Fact]
    public void Docs_list_every_rule_with_the_ids_it_mirrors()
    {
        var doc = File.ReadAllText(Path.Combine(Support.RepoPaths.Root, "docs", "policy-rules.md"));
        foreach (var rule in MlopsTf.Constructs.Policies.PolicyPack.Rules)
            Assert.Contains($"| `{rule.Id}` | {rule.Title} | {rule.Mirrors} |", doc);
    }
}
