using MlopsTf.Constructs.Ecr;
using MlopsTf.Constructs.Lambda;

namespace MlopsTf.Tests.Constructs;

/// <summary>Lambda, ECR and Glue.</summary>
[Collection(JsiiCollection.Name)]
public class WorkloadTests
{
    private static StackDocument Stack(string env) => SynthesizedApp.Instance.Document(env);

    [Theory]
    [InlineData("data-validation", "data_validation.handler")]
    [InlineData("model-evaluation", "model_evaluation.handler")]
    public void Functions_run_in_the_vpc_with_dlq_concurrency_tracing_kms_and_a_log_group_created_first(string fn, string handler)
    {
        var stack = Stack("prod");
        var f = stack.Resource("aws_lambda_function", $"{fn}/function");
        Assert.Equal(handler, f["handler"]!.GetValue<string>());
        Assert.Equal("python3.12", f["runtime"]!.GetValue<string>());
        Assert.Equal(Prod.Config.AvailabilityZones.Select(az => stack.Ref("aws_subnet", $"network/private-{az}", "id")), JsonValues.Strings(f["vpc_config"]!["subnet_ids"]));
        Assert.Equal(stack.Ref("aws_sqs_queue", $"{fn}/dead-letter-queue", "arn"), f["dead_letter_config"]!["target_arn"]!.GetValue<string>());
        Assert.Equal(2, f["reserved_concurrent_executions"]!.GetValue<int>());
        Assert.Equal("Active", f["tracing_config"]!["mode"]!.GetValue<string>());
        Assert.Equal(stack.Ref("aws_kms_key", "data-key/key", "arn"), f["kms_key_arn"]!.GetValue<string>());
        Assert.Equal([stack.Resource("aws_cloudwatch_log_group", $"{fn}/logs/log-group").Address], JsonValues.Strings(f["depends_on"]));
        Assert.StartsWith("assets/", f["filename"]!.GetValue<string>());
        var queue = stack.Resource("aws_sqs_queue", $"{fn}/dead-letter-queue");
        Assert.Equal(stack.Ref("aws_kms_key", "data-key/key", "arn"), queue["kms_master_key_id"]!.GetValue<string>());
        var logs = stack.Resource("aws_cloudwatch_log_group", $"{fn}/logs/log-group");
        Assert.Equal($"/aws/lambda/mlopstf-prod-{fn}", logs["name"]!.GetValue<string>());
        Assert.Equal(365, logs["retention_in_days"]!.GetValue<int>());
    }

    [Fact]
    public void Validation_function_gets_its_settings_from_the_environment()
    {
        var vars = Stack("dev").Resource("aws_lambda_function", "data-validation/function")["environment"]!["variables"]!;
        Assert.Equal("customer_id,event_time,churned", vars["REQUIRED_COLUMNS"]!.GetValue<string>());
        Assert.Equal("100", vars["MIN_ROWS"]!.GetValue<string>());
        var evaluation = Stack("dev").Resource("aws_lambda_function", "model-evaluation/function")["environment"]!["variables"]!;
        Assert.Equal(("validation:auc", "maximize", "0.75"), (evaluation["METRIC_NAME"]!.GetValue<string>(), evaluation["METRIC_GOAL"]!.GetValue<string>(), evaluation["THRESHOLD"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("python3.8", "Runtime")]
    [InlineData("zero-concurrency", "ReservedConcurrency = 0")]
    [InlineData("secret", "looks like a secret")]
    [InlineData("missing-source", "does not exist")]
    public void Invalid_function_props_are_rejected(string variant, string message)
    {
        var stack = Scratch.Stack();
        var key = Scratch.Key(stack);
        var props = new PythonFunctionProps
        {
            FunctionName = "f", Description = "d", SourceDirectory = SourcePaths.Function("data_validation"), Handler = "h.h",
            SubnetIds = ["subnet-1"], SecurityGroupIds = ["sg-1"], DataKey = key, LogsKey = key,
            LogRetentionDays = 30, ReservedConcurrency = 1,
        };
        props = variant switch
        {
            "python3.8" => props with { Runtime = "python3.8" },
            "zero-concurrency" => props with { ReservedConcurrency = 0 },
            "secret" => props with { Environment = new Dictionary<string, string> { ["DB_PASSWORD"] = "x" } },
            _ => props with { SourceDirectory = "/nonexistent/handler" },
        };
        Scratch.Rejects(() => new PythonFunction(stack, "fn", props), "PythonFunctionProps", message);
    }

    [Theory]
    [InlineData("training-repository", "mlopstf-dev/training", new[] { "1.0.0" })]
    [InlineData("inference-repository", "mlopstf-dev/inference", new[] { "1.0.0", "1.1.0" })]
    public void Repositories_are_immutable_scanned_kms_encrypted_and_expire_images(string repo, string name, string[] protectedTags)
    {
        var stack = Stack("dev");
        var r = stack.Resource("aws_ecr_repository", $"{repo}/repository");
        Assert.Equal(name, r["name"]!.GetValue<string>());
        Assert.Equal("IMMUTABLE", r["image_tag_mutability"]!.GetValue<string>());
        Assert.True(r["image_scanning_configuration"]!["scan_on_push"]!.GetValue<bool>());
        Assert.Equal("KMS", r["encryption_configuration"]![0]!["encryption_type"]!.GetValue<string>());
        var policy = JsonNode.Parse(stack.Resource("aws_ecr_lifecycle_policy", $"{repo}/lifecycle")["policy"]!.GetValue<string>())!;
        var rules = policy["rules"]!.AsArray();
        Assert.Equal(protectedTags, rules.Take(protectedTags.Length).Select(r => r!["selection"]!["tagPatternList"]![0]!.GetValue<string>()));
        var n = protectedTags.Length;
        Assert.Equal(("untagged", 3), (rules[n]!["selection"]!["tagStatus"]!.GetValue<string>(), rules[n]!["selection"]!["countNumber"]!.GetValue<int>()));
        Assert.Equal(("any", 10), (rules[n + 1]!["selection"]!["tagStatus"]!.GetValue<string>(), rules[n + 1]!["selection"]!["countNumber"]!.GetValue<int>()));
        Assert.Equal(n + 2, rules.Count);
    }

    [Fact]
    public void Repository_rejects_keeping_no_images()
    {
        var stack = Scratch.Stack();
        Scratch.Rejects(() => new ContainerRepository(stack, "r", new ContainerRepositoryProps { RepositoryName = "r", EncryptionKey = Scratch.Key(stack), KeepTaggedImages = 0 }),
            "KeepTaggedImages = 0");
    }

    [Fact]
    public void Glue_job_and_crawler_use_the_security_configuration_that_encrypts_everything()
    {
        var stack = Stack("dev");
        var security = stack.Resource("aws_glue_security_configuration", "data-preparation/security-configuration")["encryption_configuration"]!;
        Assert.Equal("SSE-KMS", security["s3_encryption"]!["s3_encryption_mode"]!.GetValue<string>());
        Assert.Equal("SSE-KMS", security["cloudwatch_encryption"]!["cloudwatch_encryption_mode"]!.GetValue<string>());
        Assert.Equal("CSE-KMS", security["job_bookmarks_encryption"]!["job_bookmarks_encryption_mode"]!.GetValue<string>());
        var name = stack.Ref("aws_glue_security_configuration", "data-preparation/security-configuration", "name");
        Assert.Equal(name, stack.Resource("aws_glue_crawler", "data-preparation/crawler")["security_configuration"]!.GetValue<string>());
        var job = stack.Resource("aws_glue_job", "data-preparation/job");
        Assert.Equal(name, job["security_configuration"]!.GetValue<string>());
        Assert.Equal("job-bookmark-enable", JsonExpression.Decode(job.String("default_arguments"))!["--job-bookmark-option"]!.GetValue<string>());
        Assert.Equal("SSE-KMS", stack.Resource("aws_glue_data_catalog_encryption_settings", "data-preparation/catalog-encryption")
            ["data_catalog_encryption_settings"]!["encryption_at_rest"]!["catalog_encryption_mode"]!.GetValue<string>());
    }

    [Fact]
    public void Glue_script_is_uploaded_from_the_repository_and_the_workflow_chains_crawler_then_job()
    {
        var stack = Stack("dev");
        var script = stack.Resource("aws_s3_object", "data-preparation/script");
        Assert.Equal("glue/scripts/preprocess.py", script["key"]!.GetValue<string>());
        Assert.StartsWith("assets/", script["source"]!.GetValue<string>());
        var job = stack.Resource("aws_glue_job", "data-preparation/job");
        Assert.Equal($"s3://{stack.Ref("aws_s3_bucket", "artifacts-bucket/bucket", "bucket")}/{stack.Ref("aws_s3_object", "data-preparation/script", "key")}", job["command"]!["script_location"]!.GetValue<string>());
        var scheduled = stack.Resource("aws_glue_trigger", "data-preparation/crawl-on-schedule");
        Assert.Equal(("SCHEDULED", "cron(0 1 * * ? *)"), (scheduled["type"]!.GetValue<string>(), scheduled["schedule"]!.GetValue<string>()));
        Assert.Equal(stack.Ref("aws_glue_crawler", "data-preparation/crawler", "name"), scheduled["actions"]![0]!["crawler_name"]!.GetValue<string>());
        var conditional = stack.Resource("aws_glue_trigger", "data-preparation/preprocess-after-crawl");
        Assert.Equal("SUCCEEDED", conditional["predicate"]!["conditions"]![0]!["crawl_state"]!.GetValue<string>());
        Assert.Equal(stack.Ref("aws_glue_job", "data-preparation/job", "name"), conditional["actions"]![0]!["job_name"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(SynthesizedApp.Instance.StackDir("dev"), script["source"]!.GetValue<string>())));
    }
}
