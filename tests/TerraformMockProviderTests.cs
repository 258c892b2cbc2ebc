namespace MlopsTf.Tests;

/// <summary>
/// <c>terraform test</c> on every environment stack with <c>mock_provider "aws"</c>: Terraform plans and applies the
/// synthesized JSON against the mock, then the assertions check security settings and the wiring between resources
/// (which mocked ids and ARNs make observable). These runs also cover what <c>make e2e</c> leaves out against the local
/// AWS stand-in (<c>scripts/localaws.py</c> LOCAL_EXCLUSIONS): Studio domain and user profile, feature groups, the
/// model registry and its policy, the state machine, its schedule and alarms, the dashboard, the budget and the
/// policies of buckets that objects are written through, including bootstrap-dev's state bucket.
/// </summary>
[Collection(JsiiCollection.Name)]
public class TerraformMockProviderTests
{
    private const string Bootstrap = "bootstrap-dev";

    public static TheoryData<string> Stacks => new(Platform.Environments.Select(e => e.Name).Append(Bootstrap));

    private static readonly Lazy<IReadOnlyDictionary<string, string[]>> ArnAttributes = new(() =>
        MockProviderTest.ArnAttributes(Path.Combine(SynthesizedApp.Instance.OutDir, "provider-schema")));

    private static readonly Lazy<IReadOnlyDictionary<string, Command.Result>> Results = new(RunAll);

    private static IReadOnlyDictionary<string, Command.Result> RunAll()
    {
        var types = ArnAttributes.Value;
        var tests = Platform.Environments.ToDictionary(env => env.Name, BuildTest);
        tests[Bootstrap] = BuildBootstrapTest();
        return ParallelRuns.Collect(tests.Keys, 2, stack =>
        {
            var dir = CopyForMockRun(stack);
            tests[stack].Write(dir, types);
            var init = Terraform.Run(dir, "init", "-backend=false", "-input=false", "-no-color");
            return init.ExitCode != 0 ? init : Terraform.Run(dir, "test", "-no-color");
        });
    }

    /// <summary>
    /// A copy of the synthesized stack for the mock run, with an override that lifts <c>prevent_destroy</c>: terraform
    /// test destroys what it applied at the end, which the protected resources would refuse. Protection itself is
    /// asserted on the synthesized JSON by the unit tests.
    /// </summary>
    private static string CopyForMockRun(string stack)
    {
        var target = SynthesizedApp.Instance.CopyStack(stack, Path.Combine(SynthesizedApp.Instance.OutDir, "mock-tests", stack));
        Overrides.Write(target, "mock_test");
        return target;
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Stack_applies_against_the_mock_provider_and_its_assertions_hold(string stack)
    {
        var result = Results.Value[stack];
        result.AssertSucceeded($"terraform test of {stack}");
        Assert.Contains("1 passed, 0 failed", result.Stdout);
    }

    /// <summary>
    /// The mock copy's local-exec provisioners record instead of running (scripts/overrides.py mock_test): each
    /// environment with a site ran its invalidation command once, with the mocked distribution's id.
    /// </summary>
    [Theory]
    [MemberData(nameof(Stacks))]
    public void Local_exec_provisioners_ran_once_each_with_resolved_environments(string stack)
    {
        Results.Value[stack].AssertSucceeded($"terraform test of {stack}");
        var document = SynthesizedApp.Instance.Document(stack);
        var expected = document.Resources("terraform_data").Where(r => r.Body["provisioner"] is not null)
            .ToDictionary(r => r.Address, r => r.Body["provisioner"]![0]!["local-exec"]!["command"]!.GetValue<string>());
        var log = Path.Combine(SynthesizedApp.Instance.OutDir, "mock-tests", stack, "local-exec.jsonl");
        var ran = File.Exists(log) ? File.ReadAllLines(log).Select(l => JsonNode.Parse(l)!.AsObject()).ToList() : [];
        Assert.Equal(expected.Keys.Order(), ran.Select(r => r["MLOPSTF_ADDRESS"]!.GetValue<string>()).Order());
        foreach (var run in ran)
        {
            Assert.Equal(expected[run["MLOPSTF_ADDRESS"]!.GetValue<string>()], run["MLOPSTF_COMMAND"]!.GetValue<string>());
            Assert.DoesNotContain("${", run.ToJsonString());
            if (run["DISTRIBUTION_ID"] is { } id) Assert.NotEqual("", id.GetValue<string>());
        }
        if (Platform.Environments.SingleOrDefault(e => e.Name == stack)?.Serving.Frontend is not null)
            Assert.Contains(ran, r => r["MLOPSTF_COMMAND"]!.GetValue<string>().StartsWith("aws cloudfront create-invalidation ", StringComparison.Ordinal));
    }

    private static MockProviderTest BuildBootstrapTest()
    {
        var env = Platform.Environments.Single(e => $"bootstrap-{e.Name}" == Bootstrap);
        var t = new MockProviderTest(SynthesizedApp.Instance.Document(Bootstrap), env.AccountId, env.Region);
        var bucket = t.A("aws_s3_bucket", "state-bucket/bucket");
        var policy = t.A("aws_s3_bucket_policy", "state-bucket/policy");
        t.Assert($"{policy}.bucket == {bucket}.id", "the state bucket policy is on the state bucket");
        t.Assert($"alltrue([for r in {t.A("aws_s3_bucket_server_side_encryption_configuration", "state-bucket/encryption")}.rule : r.apply_server_side_encryption_by_default[0].kms_master_key_id == {t.A("aws_kms_key", "state-key/key")}.arn])",
            "the state bucket is encrypted with the state key");
        t.Assert($"{t.A("aws_dynamodb_table", "lock-table")}.hash_key == \"LockID\" && {t.A("aws_dynamodb_table", "lock-table")}.deletion_protection_enabled", "the lock table is keyed by LockID and protected");
        var trail = t.A("aws_cloudtrail", "audit-trail/trail");
        t.Assert($"{trail}.s3_bucket_name == {t.A("aws_s3_bucket", "audit-trail/bucket/bucket")}.bucket && {trail}.kms_key_id == {t.A("aws_kms_key", "audit-trail/key/key")}.arn",
            "the audit trail writes to its locked bucket, encrypted with its key");
        t.Assert($"{trail}.is_multi_region_trail && {trail}.enable_log_file_validation && {trail}.include_global_service_events", "the audit trail covers every Region and validates its files");
        t.Assert($"{t.A("aws_s3_bucket_object_lock_configuration", "audit-trail/bucket/object-lock")}.rule[0].default_retention[0].days == 365", "the audit bucket locks every file for a year");
        return t;
    }

    private static MockProviderTest BuildTest(EnvironmentConfig env)
    {
        var t = new MockProviderTest(SynthesizedApp.Instance.Document(env.Name), env.AccountId, env.Region);
        var vpc = t.A("aws_vpc", "network/vpc");
        var privateSubnets = env.AvailabilityZones.Select(az => t.A("aws_subnet", $"network/private-{az}")).ToList();
        var subnetSet = $"toset([{string.Join(", ", privateSubnets.Select(s => $"{s}.id"))}])";
        var nats = env.AvailabilityZones.Take(env.NatStrategy == NatStrategy.PerAz ? env.AvailabilityZones.Count : 1)
            .Select(az => t.A("aws_nat_gateway", $"network/nat-{az}")).ToList();
        var dataKey = t.A("aws_kms_key", "data-key/key");
        var modelsKey = t.A("aws_kms_key", "models-key/key");
        var topic = t.A("aws_sns_topic", "alerts/topic");

        t.Assert($"{vpc}.enable_dns_support && {vpc}.enable_dns_hostnames && {vpc}.cidr_block == \"{env.VpcCidr}\"", "VPC has DNS and the configured CIDR");
        t.Assert($"{t.A("aws_ssm_parameter", "parameters/vpc_id")}.value == {vpc}.id && {t.A("aws_ssm_parameter", "parameters/private_subnet_ids")}.value == join(\",\", [{string.Join(", ", privateSubnets.Select(s => $"{s}.id"))}])",
            "the platform parameters publish the VPC and its private subnets");
        for (var i = 0; i < env.AvailabilityZones.Count; i++)
        {
            var az = env.AvailabilityZones[i];
            t.Assert($"{t.A("aws_route", $"network/private-{az}-default-route")}.nat_gateway_id == {nats[Math.Min(i, nats.Count - 1)]}.id",
                $"private subnet in {az} routes through its NAT gateway");
            t.Assert($"{privateSubnets[i]}.availability_zone == \"{az}\" && !{privateSubnets[i]}.map_public_ip_on_launch", $"private subnet in {az} assigns no public IPs");
        }
        var dsg = t.A("aws_default_security_group", "network/default-security-group");
        t.Assert($"length({dsg}.ingress) == 0 && length({dsg}.egress) == 0 && {dsg}.vpc_id == {vpc}.id", "default security group has no rules");
        t.Assert($"alltrue([for r in [{string.Join(", ", t.All("aws_vpc_security_group_egress_rule"))}] : r.description != \"\" && r.cidr_ipv4 == null])",
            "every egress rule has a description and none is open to a CIDR");
        t.Assert($"{t.A("aws_flow_log", "network/flow-log")}.vpc_id == {vpc}.id && {t.A("aws_flow_log", "network/flow-log")}.traffic_type == \"ALL\"", "VPC flow logs capture all traffic");

        foreach (var (bucket, key) in new[] { ("data-bucket", dataKey), ("models-bucket", modelsKey), ("artifacts-bucket", modelsKey) })
        {
            var sse = t.A("aws_s3_bucket_server_side_encryption_configuration", $"{bucket}/encryption");
            t.Assert($"alltrue([for r in {sse}.rule : r.apply_server_side_encryption_by_default[0].sse_algorithm == \"aws:kms\" && r.apply_server_side_encryption_by_default[0].kms_master_key_id == {key}.arn && r.bucket_key_enabled])",
                $"{bucket} is SSE-KMS with its customer key");
            var pab = t.A("aws_s3_bucket_public_access_block", $"{bucket}/public-access-block");
            t.Assert($"{pab}.block_public_acls && {pab}.block_public_policy && {pab}.ignore_public_acls && {pab}.restrict_public_buckets", $"{bucket} blocks public access");
            t.Assert($"{t.A("aws_s3_bucket_logging", $"{bucket}/access-logging")}.target_bucket == {t.A("aws_s3_bucket", "access-logs-bucket/bucket")}.id", $"{bucket} logs to the access-log bucket");
        }
        t.Assert($"alltrue([for k in [{string.Join(", ", t.All("aws_kms_key"))}] : k.enable_key_rotation])", "every KMS key rotates");

        foreach (var fn in new[] { "data-validation", "model-evaluation" })
        {
            var f = t.A("aws_lambda_function", $"{fn}/function");
            t.Assert($"{f}.tracing_config[0].mode == \"Active\" && {f}.reserved_concurrent_executions > 0 && {f}.kms_key_arn == {dataKey}.arn",
                $"{fn} traces, reserves concurrency and encrypts its environment");
            t.Assert($"{f}.dead_letter_config[0].target_arn == {t.A("aws_sqs_queue", $"{fn}/dead-letter-queue")}.arn", $"{fn} sends failures to its dead-letter queue");
            t.Assert($"toset({f}.vpc_config[0].subnet_ids) == {subnetSet} && {f}.vpc_config[0].security_group_ids == toset([{t.A("aws_security_group", "network/lambda-security-group")}.id])",
                $"{fn} runs in the private subnets");
            t.Assert($"{f}.logging_config[0].log_group == {t.A("aws_cloudwatch_log_group", $"{fn}/logs/log-group")}.name", $"{fn} logs to its encrypted group");
        }

        var sfn = t.A("aws_sfn_state_machine", "training-pipeline/state-machine");
        t.Assert($"{sfn}.logging_configuration[0].level == \"ALL\" && {sfn}.logging_configuration[0].include_execution_data && {sfn}.tracing_configuration[0].enabled",
            "the pipeline logs everything with execution data and traces");
        t.Assert($"{sfn}.role_arn == {t.A("aws_iam_role", "training-pipeline/role/role")}.arn", "the pipeline runs with its own role");
        t.Assert($"{t.A("aws_scheduler_schedule", "training-pipeline/schedule")}.target[0].arn == {sfn}.arn", "the schedule starts the pipeline");

        var domain = t.A("aws_sagemaker_domain", "studio/domain");
        t.Assert($"{domain}.app_network_access_type == \"VpcOnly\" && {domain}.auth_mode == \"IAM\" && {domain}.kms_key_id == {dataKey}.arn && {domain}.subnet_ids == {subnetSet}",
            "the Studio domain is VpcOnly in the private subnets with a customer key");
        t.Assert($"{domain}.default_user_settings[0].execution_role == {t.A("aws_iam_role", "sagemaker-execution-role/role")}.arn", "Studio users run as the scoped execution role");
        foreach (var group in env.Ml.FeatureGroups.Where(g => g.OnlineStore))
        {
            var fg = t.A("aws_sagemaker_feature_group", $"feature-store/group-{group.Name}");
            t.Assert($"{fg}.online_store_config[0].security_config[0].kms_key_id == {dataKey}.arn && {fg}.offline_store_config[0].s3_storage_config[0].kms_key_id == {dataKey}.arn",
                $"feature group {group.Name} encrypts both stores");
        }
        foreach (var profile in t.All("aws_sagemaker_user_profile"))
            t.Assert($"{profile}.domain_id == {domain}.id", $"{profile} belongs to the Studio domain");
        // The mock answers every policy document with the same JSON: statements are asserted on the synthesized JSON
        // (PolicyRuleTests, construct tests); here, that each policy is attached where it belongs.
        foreach (var groupPolicy in t.All("aws_sagemaker_model_package_group_policy"))
            t.Assert($"contains([for g in [{string.Join(", ", t.All("aws_sagemaker_model_package_group"))}] : g.model_package_group_name], {groupPolicy}.model_package_group_name)",
                $"{groupPolicy} is on a model package group of this stack");
        foreach (var bucket in new[] { "data-bucket", "models-bucket", "artifacts-bucket", "access-logs-bucket" })
            t.Assert($"{t.A("aws_s3_bucket_policy", $"{bucket}/policy")}.bucket == {t.A("aws_s3_bucket", $"{bucket}/bucket")}.id", $"{bucket} has its policy");
        var budget = t.A("aws_budgets_budget", "monitoring/budget");
        t.Assert($"{budget}.limit_amount == \"{env.Alarms.MonthlyBudgetUsd}\" && alltrue([for n in {budget}.notification : contains(n.subscriber_sns_topic_arns, {topic}.arn)])",
            "the monthly budget notifies the alerts topic");
        t.Assert($"strcontains({t.A("aws_cloudwatch_dashboard", "monitoring/dashboard")}.dashboard_body, {sfn}.arn)", "the pipeline dashboard shows the pipeline");
        var endpointDashboard = t.A("aws_cloudwatch_dashboard", "endpoint-dashboard/dashboard");
        t.Assert($"alltrue([for e in [{string.Join(", ", t.All("aws_sagemaker_endpoint"))}] : strcontains({endpointDashboard}.dashboard_body, \"\\\"${{e.name}}\\\"\")])",
            "the endpoint dashboard shows every endpoint");
        foreach (var repo in t.All("aws_ecr_repository"))
            t.Assert($"{repo}.image_tag_mutability == \"IMMUTABLE\" && {repo}.image_scanning_configuration[0].scan_on_push && {repo}.encryption_configuration[0].encryption_type == \"KMS\"",
                $"{repo} is immutable, scanned and KMS-encrypted");
        t.Assert($"alltrue([for a in [{string.Join(", ", t.All("aws_cloudwatch_metric_alarm"))}] : a.actions_enabled && contains(a.alarm_actions, {topic}.arn)])",
            "every alarm notifies the alerts topic");
        t.Assert($"{topic}.kms_master_key_id == {t.A("aws_kms_key", "logs-key/key")}.arn", "the alerts topic is KMS-encrypted");

        foreach (var e in env.Serving.Endpoints)
        {
            var endpoint = t.A("aws_sagemaker_endpoint", $"endpoint-{e.Name}/endpoint");
            var release = e.Variants.Count > 1 ? "weighted" : e.ActiveVersion;
            t.Assert($"{endpoint}.endpoint_config_name == {t.A("aws_sagemaker_endpoint_configuration", $"endpoint-{e.Name}/configuration-{release}")}.name",
                $"endpoint {e.Name} serves the configuration of release {release}");
            var mode = e.Mode ?? env.Serving.DefaultMode;
            var serverless = mode == EndpointMode.Serverless;
            if (mode == EndpointMode.Async)
            {
                var target = t.A("aws_appautoscaling_target", $"endpoint-{e.Name}/async-autoscaling/scaling-target");
                t.Assert($"{target}.resource_id == \"endpoint/${{{endpoint}.name}}/variant/{e.Variants[0].Name}\" && {target}.min_capacity == {(e.Async.ScaleToZero ? 0 : 1)} && {target}.max_capacity == {e.Async.MaxInstances}",
                    $"asynchronous endpoint {e.Name} scales its variant on the backlog within its bounds");
                var configuration = t.A("aws_sagemaker_endpoint_configuration", $"endpoint-{e.Name}/configuration-{release}");
                t.Assert($"{configuration}.async_inference_config[0].output_config[0].notification_config[0].success_topic == {t.A("aws_sns_topic", $"endpoint-{e.Name}/async-notifications/success")}.arn && {configuration}.async_inference_config[0].output_config[0].kms_key_id == {t.A("aws_kms_key", "data-key/key")}.arn",
                    $"asynchronous endpoint {e.Name} notifies its own topic and encrypts results with the data key");
            }
            else if (!serverless && e.Variants.Count == 1)
            {
                var variant = e.Variants[0].Name;
                var alarms = new[] { "latency-p95", "5xx-rate", "model-error-rate" }.Select(a => $"{t.A("aws_cloudwatch_metric_alarm", $"endpoint-{e.Name}/alarms/{variant}-{a}")}.alarm_name");
                t.Assert($"toset([for a in {endpoint}.deployment_config[0].auto_rollback_configuration[0].alarms : a.alarm_name]) == toset([{string.Join(", ", alarms)}])",
                    $"endpoint {e.Name} rolls back on its own latency and error alarms");
                t.Assert($"{endpoint}.deployment_config[0].blue_green_update_policy[0].traffic_routing_configuration[0].type == \"{(e.Rollout.Strategy == RolloutStrategy.Canary ? "CANARY" : e.Rollout.Strategy == RolloutStrategy.Linear ? "LINEAR" : "ALL_AT_ONCE")}\"",
                    $"endpoint {e.Name} shifts traffic as configured");
            }
            if (e.Autoscaling is not null && mode == EndpointMode.RealTime)
            {
                var variant = e.Variants[0].Name;
                var target = t.A("aws_appautoscaling_target", $"endpoint-{e.Name}/{variant}-autoscaling/scaling-target");
                t.Assert($"{target}.resource_id == \"endpoint/${{{endpoint}.name}}/variant/{variant}\" && {target}.max_capacity == {e.Autoscaling.MaxInstances}",
                    $"endpoint {e.Name} scales its variant up to the configured maximum");
                t.Assert($"{t.A("aws_appautoscaling_policy", $"endpoint-{e.Name}/{variant}-autoscaling/invocations-target-tracking")}.resource_id == {target}.resource_id",
                    $"endpoint {e.Name} tracks invocations per instance on its variant");
            }
        }

        if (env.Serving.Frontend is not null)
        {
            var invalidation = t.A("terraform_data", "frontend/cache-invalidation/invalidation");
            t.Assert($"{invalidation}.triggers_replace[\"config.json\"] == {t.A("aws_s3_object", "frontend/config")}.version_id && {invalidation}.triggers_replace[\"index.html\"] == {t.A("aws_s3_object", "frontend/file-index.html")}.version_id",
                "the site's invalidation is replaced when config.json or index.html gets a new version");
        }
        t.Assert($"output.vpc_id == {vpc}.id && output.state_machine_arn == {sfn}.arn && output.alerts_topic_arn == {topic}.arn", "outputs name the resources");
        t.Assert($"length(output.private_subnet_ids) == {env.AvailabilityZones.Count} && output.sagemaker_domain_id == {domain}.id", "outputs list every private subnet and the domain");
        return t;
    }
}
