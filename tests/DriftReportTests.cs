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

    [Fact]
    public void Ignored_attributes_are_reported_apart_and_do_not_count_as_drift()
    {
        var ignore = DriftReport.ReadIgnoreList(File.ReadAllText(Path.Combine(Support.RepoPaths.Root, "environments", "drift-ignore.json")));
        var report = DriftReport.Build("dev", Refresh(ScaledTarget), EmptyPlan, ignore);
        Assert.Empty(report.Drift);
        Assert.Equal(["max_capacity", "min_capacity"], report.Ignored.Select(i => i.Attribute));
        Assert.Equal(0, report.ExitCode);
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
