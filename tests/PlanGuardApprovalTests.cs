using MlopsTf.PlanGuard;

namespace MlopsTf.Tests;

/// <summary>
/// The plan guard with an approvals file (<c>--approved</c>, what the deploy passes): a destructive change passes only
/// when the file lists its exact address and action for the stack.
/// </summary>
public class PlanGuardApprovalTests
{
    private const string Bucket = "aws_s3_bucket.data-bucket_bucket_6B3E5F1A";
    private const string Table = "aws_dynamodb_table.lock-table";

    // A plan that replaces a bucket, deletes a table (both stateful), deletes a role (not stateful) and creates one.
    private static readonly string Plan = new JsonObject
    {
        ["format_version"] = "1.2",
        ["resource_changes"] = new JsonArray(
            Change(Bucket, "aws_s3_bucket", "delete", "create"),
            Change(Table, "aws_dynamodb_table", "delete"),
            Change("aws_iam_role.old", "aws_iam_role", "delete"),
            Change("aws_iam_role.new", "aws_iam_role", "create")),
    }.ToJsonString();

    private static JsonObject Change(string address, string type, params string[] actions) => new()
    {
        ["address"] = address, ["type"] = type, ["mode"] = "managed",
        ["change"] = new JsonObject { ["actions"] = new JsonArray([.. actions.Select(a => (JsonNode)a)]) },
    };

    private static string File(string environment, params (string Address, string Action)[] changes) => new JsonObject
    {
        ["version"] = 1,
        ["environments"] = new JsonObject
        {
            [environment] = new JsonArray([.. changes.Select(c => (JsonNode)new JsonObject { ["address"] = c.Address, ["action"] = c.Action })]),
        },
        ["source"] = "pull request #12",
    }.ToJsonString();

    private static (int Exit, string Output, JsonNode? Verdict) Guard(string? approvals, params string[] extra)
    {
        var dir = Scratch();
        var plan = Path.Combine(dir, "plan.json");
        System.IO.File.WriteAllText(plan, Plan);
        var verdict = Path.Combine(dir, "verdict.json");
        List<string> args = [Path.Combine(RepoPaths.Root, "tools", "PlanGuard", "bin", "Release", "net10.0", "PlanGuard.dll"),
            "--plan", plan, "--stack", "dev", "--json", verdict, .. extra];
        if (approvals is not null)
        {
            System.IO.File.WriteAllText(Path.Combine(dir, "approved.json"), approvals);
            args.AddRange(["--approved", Path.Combine(dir, "approved.json")]);
        }
        using var p = Process.Start(new ProcessStartInfo("dotnet", args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        var json = System.IO.File.Exists(verdict) ? JsonNode.Parse(System.IO.File.ReadAllText(verdict)) : null;
        Directory.Delete(dir, recursive: true);
        return (p.ExitCode, stdout.Result + stderr.Result, json);
    }

    private static string Scratch()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"mlopstf-guard-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public void Every_listed_destructive_change_passes_and_extra_entries_do_no_harm()
    {
        var (exit, output, verdict) = Guard(File("dev", (Bucket, "replace"), (Table, "delete"), ("aws_s3_bucket.gone", "delete")));
        Assert.True(exit == 0, output);
        Assert.Equal("approved", verdict!["verdict"]!.GetValue<string>());
        Assert.Empty(verdict["unapproved"]!.AsArray());
        Assert.Equal(new[] { Bucket, Table }.Order(StringComparer.Ordinal), verdict["destructive"]!.AsArray().Select(c => c!["address"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_unlisted_destructive_change_fails_and_is_named()
    {
        var (exit, output, verdict) = Guard(File("dev", (Bucket, "replace")));
        Assert.Equal(3, exit);
        Assert.Equal("needs-approval", verdict!["verdict"]!.GetValue<string>());
        Assert.Equal([Table], verdict["unapproved"]!.AsArray().Select(c => c!["address"]!.GetValue<string>()));
        Assert.Contains($"not approved: {Table} (delete)", output);
        Assert.Contains($"`{Table}` (delete) — not approved", output);
    }

    [Fact]
    public void The_action_must_match_too()
    {
        var (exit, _, verdict) = Guard(File("dev", (Bucket, "delete"), (Table, "delete")));
        Assert.Equal(3, exit);
        Assert.Equal([Bucket], verdict!["unapproved"]!.AsArray().Select(c => c!["address"]!.GetValue<string>()));
    }

    [Fact]
    public void An_empty_list_or_another_environment_s_list_approves_nothing()
    {
        foreach (var approvals in new[] { File("dev"), File("prod", (Bucket, "replace"), (Table, "delete")) })
        {
            var (exit, _, verdict) = Guard(approvals);
            Assert.Equal(3, exit);
            Assert.Equal(2, verdict!["unapproved"]!.AsArray().Count);
        }
    }

    [Fact]
    public void Without_approvals_the_guard_refuses_and_approve_destructive_still_approves_everything()
    {
        Assert.Equal(3, Guard(null).Exit);
        var (exit, output, verdict) = Guard(null, "--approve-destructive");
        Assert.True(exit == 0, output);
        Assert.Equal("approved", verdict!["verdict"]!.GetValue<string>());
        var both = Guard(File("dev", (Bucket, "replace")), "--approve-destructive");
        Assert.Equal(2, both.Exit);
        Assert.Contains("pass one of them", both.Output);
    }

    [Theory]
    [InlineData("not json", "the approvals file is not JSON")]
    [InlineData("""{"version": 2, "environments": {}}""", "only version 1 is understood")]
    [InlineData("""{"version": 1}""", "no \"environments\" object")]
    [InlineData("""{"version": 1, "environments": {"dev": "all"}}""", "environments.dev in the approvals file is \"all\", not a list")]
    [InlineData("""{"version": 1, "environments": {"dev": [{"action": "delete"}]}}""", "environments.dev[0].address in the approvals file is missing")]
    [InlineData("""{"version": 1, "environments": {"dev": [{"address": "a.b", "action": "update"}]}}""", "environments.dev[0].action in the approvals file is \"update\"; use \"replace\" or \"delete\"")]
    public void A_malformed_approvals_file_is_an_input_error_that_names_the_field(string approvals, string message)
    {
        var ex = Assert.Throws<InvalidDataException>(() => Approvals.FromJson("dev", approvals, "approved.json"));
        Assert.Contains(message, ex.Message);
        var (exit, output, _) = Guard(approvals);
        Assert.Equal(2, exit);
        Assert.Contains(message, output);
    }
}
