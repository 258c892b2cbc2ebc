using MlopsTf.PlanGuard;

namespace MlopsTf.Tests;

/// <summary>
/// The drift parser's ignore list and deletion handling. The end-to-end test tests/e2e/lifecycle.py runs it on plans
/// terraform wrote against the local AWS stand-in; these small documents only pin the rules it does not reach there.
/// </summary>
public class DriftReportTests
{
    private const string EmptyPlan = """{"format_version":"1.2","resource_changes":[]}""";

    private static string Refresh(string drift) => $$"""{"format_version":"1.2","resource_drift":[{{drift}}]}""";

    private const string ScaledTarget = """
        {"address":"aws_appautoscaling_target.t","mode":"managed","type":"aws_appautoscaling_target",
         "change":{"actions":["update"],"before":{"min_capacity":2,"max_capacity":6},"after":{"min_capacity":1,"max_capacity":1}}}
        """;

    private const string DeletedGroup = """
        {"address":"aws_cloudwatch_log_group.g","mode":"managed","type":"aws_cloudwatch_log_group",
         "change":{"actions":["delete"],"before":{"name":"/x"},"after":null}}
        """;

    private static IReadOnlyList<DriftIgnore> Shipped() =>
        DriftReport.ReadIgnoreList(File.ReadAllText(Path.Combine(Support.RepoPaths.Root, "environments", "drift-ignore.json")));

    private const string Endpoint = "aws_sagemaker_endpoint.endpoint-churn_endpoint_F260F750";

    /// <summary>
    /// A resource_drift entry of the dev endpoint as <c>terraform show -json</c> writes it for a refresh-only plan.
    /// <paramref name="tags"/> is the endpoint's own tags (JSON object); tags_all adds the provider's default tags.
    /// </summary>
    private static string EndpointDrift(string actions, string tags, string after = "null") => $$"""
        {"address":"{{Endpoint}}","mode":"managed","type":"aws_sagemaker_endpoint","name":"endpoint-churn_endpoint_F260F750",
         "provider_name":"registry.terraform.io/hashicorp/aws",
         "change":{"actions":{{actions}},
           "before":{"arn":"arn:aws:sagemaker:us-east-1:111122223333:endpoint/mlopstf-dev-churn","deployment_config":[],
                     "endpoint_config_name":"mlopstf-dev-churn-1-1-0","id":"mlopstf-dev-churn","name":"mlopstf-dev-churn",
                     "tags":{{tags}},"tags_all":{{Merge(tags)}}},
           "after":{{after}},"after_unknown":{},"before_sensitive":{"deployment_config":[],"tags":{},"tags_all":{} },"after_sensitive":false} }
        """;

    private static string Merge(string tags)
    {
        var all = System.Text.Json.Nodes.JsonNode.Parse(tags)!.AsObject();
        all["Environment"] = "dev";
        all["Project"] = "mlopstf";
        return all.ToJsonString();
    }

    private static readonly string CleanupTag = $$"""{"{{EndpointCleanup.TagKey}}":"true"}""";

    [Fact]
    public void Ignored_attributes_are_reported_apart_and_do_not_count_as_drift()
    {
        var report = DriftReport.Build("dev", Refresh(ScaledTarget), EmptyPlan, Shipped());
        Assert.Empty(report.Drift);
        Assert.Equal(["max_capacity", "min_capacity"], report.Ignored.Select(i => i.Attribute));
        Assert.All(report.Ignored, i => Assert.Contains("off-hours scheduled actions", i.Reason));
        Assert.Equal(0, report.ExitCode);
    }

    [Fact]
    public void An_endpoint_deleted_by_the_nightly_cleanup_is_expected_and_the_stack_clean()
    {
        var report = DriftReport.Build("dev", Refresh(EndpointDrift("""["delete"]""", CleanupTag)), EmptyPlan, Shipped());
        Assert.Empty(report.Drift);
        var expected = Assert.Single(report.Expected);
        Assert.Equal((Endpoint, "(resource)", "deleted outside Terraform"), (expected.Address, expected.Attribute, expected.Actual));
        Assert.StartsWith("deleted by the nightly cleanup", expected.Reason);
        Assert.Contains("the next apply recreates it", expected.Reason);
        Assert.Equal(0, report.ExitCode);
        Assert.Contains("— clean", report.Markdown());
        Assert.Contains($"| `{Endpoint}` | `(resource)` | deleted outside Terraform | {expected.Reason} |", report.Markdown());
        var json = System.Text.Json.Nodes.JsonNode.Parse(report.Json())!;
        Assert.Equal("clean", json["status"]!.GetValue<string>());
        Assert.Equal(Endpoint, json["expected"]![0]!["address"]!.GetValue<string>());
        Assert.Equal(expected.Reason, json["expected"]![0]!["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"mlopstf:auto-cleanup":"false"}""")]
    [InlineData("""{"mlopstf:auto-cleanup-later":"true"}""")]
    public void An_endpoint_deleted_without_the_cleanup_tag_is_drift(string tags)
    {
        var report = DriftReport.Build("dev", Refresh(EndpointDrift("""["delete"]""", tags)), EmptyPlan, Shipped());
        Assert.Equal([new DriftedAttribute(Endpoint, "(resource)", "exists", "deleted outside Terraform")], report.Drift);
        Assert.Empty(report.Expected);
        Assert.Equal(2, report.ExitCode);
    }

    [Fact]
    public void A_tagged_endpoint_whose_attributes_changed_is_drift_only_the_deletion_is_expected()
    {
        var moved = $$"""
            {"arn":"arn:aws:sagemaker:us-east-1:111122223333:endpoint/mlopstf-dev-churn","deployment_config":[],
             "endpoint_config_name":"hand-made-config","id":"mlopstf-dev-churn","name":"mlopstf-dev-churn",
             "tags":{{CleanupTag}},"tags_all":{{Merge(CleanupTag)}}}
            """;
        var report = DriftReport.Build("dev", Refresh(EndpointDrift("""["update"]""", CleanupTag, moved)), EmptyPlan, Shipped());
        Assert.Equal([new DriftedAttribute(Endpoint, "endpoint_config_name", "\"mlopstf-dev-churn-1-1-0\"", "\"hand-made-config\"")], report.Drift);
        Assert.Empty(report.Expected);
        Assert.Equal(2, report.ExitCode);
    }

    [Fact]
    public void Code_not_yet_applied_to_a_cleaned_up_endpoint_is_still_pending()
    {
        var plan = $$"""
            {"format_version":"1.2","resource_changes":[{"address":"{{Endpoint}}","mode":"managed","type":"aws_sagemaker_endpoint",
             "change":{"actions":["update"],"before":{"endpoint_config_name":"a"},"after":{"endpoint_config_name":"b"} } }]}
            """;
        var report = DriftReport.Build("dev", Refresh(EndpointDrift("""["delete"]""", CleanupTag)), plan, Shipped());
        Assert.Single(report.Expected);
        Assert.Equal([new ResourceChange(Endpoint, "aws_sagemaker_endpoint", "update")], report.Pending);
        Assert.Equal(2, report.ExitCode);
    }

    [Fact]
    public void The_cleanup_tag_explains_only_endpoints_not_other_deleted_resources()
    {
        const string taggedGroup = """
            {"address":"aws_cloudwatch_log_group.g","mode":"managed","type":"aws_cloudwatch_log_group",
             "change":{"actions":["delete"],"before":{"name":"/x","tags":{"mlopstf:auto-cleanup":"true"},"tags_all":{"mlopstf:auto-cleanup":"true"}},"after":null}}
            """;
        var report = DriftReport.Build("dev", Refresh(taggedGroup), EmptyPlan, Shipped());
        Assert.Equal(["aws_cloudwatch_log_group.g"], report.Drift.Select(d => d.Address));
        Assert.Empty(report.Expected);
    }

    [Fact]
    public void A_tag_from_the_providers_default_tags_counts_tags_all_is_read_too()
    {
        var onlyInTagsAll = EndpointDrift("""["delete"]""", "{}").Replace("""{"Environment":"dev","Project":"mlopstf"}""",
            $$"""{"Environment":"dev","{{EndpointCleanup.TagKey}}":"true"}""");
        Assert.Contains(EndpointCleanup.TagKey, onlyInTagsAll);
        var report = DriftReport.Build("dev", Refresh(onlyInTagsAll), EmptyPlan, Shipped());
        Assert.Empty(report.Drift);
        Assert.Single(report.Expected);
    }

    [Fact]
    public void A_tagged_entry_explains_only_a_deletion()
    {
        var ex = Assert.Throws<InvalidDataException>(() => DriftReport.ReadIgnoreList(
            """[{"address":"aws_sagemaker_endpoint.*","attribute":"endpoint_config_name","when_tagged":{"mlopstf:auto-cleanup":"true"},"reason":"r"}]"""));
        Assert.Contains("attribute is \"endpoint_config_name\"; set attribute to \"(resource)\" or drop when_tagged", ex.Message);
    }

    [Fact]
    public void A_tagged_entry_names_a_tag_and_needs_a_reason()
    {
        var empty = Assert.Throws<InvalidDataException>(() => DriftReport.ReadIgnoreList(
            """[{"address":"aws_sagemaker_endpoint.*","attribute":"(resource)","when_tagged":{},"reason":"r"}]"""));
        Assert.Contains("has when_tagged {}; name at least one tag", empty.Message);
        var unexplained = Assert.Throws<InvalidDataException>(() => DriftReport.ReadIgnoreList(
            """[{"address":"aws_sagemaker_endpoint.*","attribute":"(resource)","when_tagged":{"mlopstf:auto-cleanup":"true"}}]"""));
        Assert.Contains("needs an address and a reason", unexplained.Message);
    }

    [Fact]
    public void A_resource_deleted_outside_terraform_is_drift()
    {
        var report = DriftReport.Build("dev", Refresh(DeletedGroup), EmptyPlan, []);
        Assert.Equal([new DriftedAttribute("aws_cloudwatch_log_group.g", "(resource)", "exists", "deleted outside Terraform")], report.Drift);
        Assert.Equal(2, report.ExitCode);
    }

    [Fact]
    public void A_changed_attribute_inside_a_nested_block_is_named_by_its_path()
    {
        const string suspended = """
            {"address":"aws_s3_bucket_versioning.v","mode":"managed","type":"aws_s3_bucket_versioning",
             "change":{"actions":["update"],"before":{"versioning_configuration":[{"mfa_delete":"","status":"Enabled"}]},
                       "after":{"versioning_configuration":[{"mfa_delete":"","status":"Suspended"}]}}}
            """;
        var report = DriftReport.Build("dev", Refresh(suspended), EmptyPlan, []);
        Assert.Equal([new DriftedAttribute("aws_s3_bucket_versioning.v", "versioning_configuration.0.status", "\"Enabled\"", "\"Suspended\"")], report.Drift);
    }

    [Fact]
    public void A_nested_block_added_outside_terraform_is_reported_as_the_whole_list()
    {
        const string added = """
            {"address":"aws_s3_bucket_versioning.v","mode":"managed","type":"aws_s3_bucket_versioning",
             "change":{"actions":["update"],"before":{"rule":[{"id":"a"}]},"after":{"rule":[{"id":"a"},{"id":"b"}]}}}
            """;
        var report = DriftReport.Build("dev", Refresh(added), EmptyPlan, []);
        Assert.Equal([new DriftedAttribute("aws_s3_bucket_versioning.v", "rule", """[{"id":"a"}]""", """[{"id":"a"},{"id":"b"}]""")], report.Drift);
    }

    [Fact]
    public void Ignore_entries_need_an_address_and_a_reason()
    {
        var ex = Assert.Throws<InvalidDataException>(() => DriftReport.ReadIgnoreList("""[{"address":"aws_s3_bucket.*","attribute":"tags"}]"""));
        Assert.Contains("needs an address and a reason", ex.Message);
    }
}
