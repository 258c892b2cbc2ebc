namespace MlopsTf.Tests.Constructs;

[Collection(JsiiCollection.Name)]
public class IamTests
{
    private static StackDocument Stack(string env) => SynthesizedApp.Instance.Document(env);

    private static readonly IReadOnlySet<string> UnscopableActions = MlopsTf.Constructs.Policies.Rules.WildcardResourceRule.UnscopableActions;

    private static IEnumerable<JsonNode> RoleStatements(StackDocument stack) =>
        stack.DataSources("aws_iam_policy_document")
            .Where(d => stack.Resources("aws_iam_role_policy").Any(p => p["policy"]!.GetValue<string>() == d.Ref("json")))
            .SelectMany(d => d["statement"]!.AsArray()).Select(s => s!);

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Role_policies_have_no_wildcard_actions_and_wildcard_resources_only_where_aws_allows_nothing_else(string env)
    {
        var statements = RoleStatements(Stack(env)).ToList();
        Assert.True(statements.Count > 30, $"expected the platform's role policies, found {statements.Count} statements");
        foreach (var s in statements)
        {
            var actions = JsonValues.Strings(s["actions"]);
            Assert.DoesNotContain(actions, a => a == "*" || a.EndsWith(":*", StringComparison.Ordinal));
            if (JsonValues.Strings(s["resources"]).Contains("*"))
                Assert.All(actions, a => Assert.Contains(a, UnscopableActions));
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void No_role_uses_broad_aws_managed_policies(string env)
    {
        var attached = Stack(env).Resources("aws_iam_role_policy_attachment").Select(a => a["policy_arn"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain(attached, a => a.Contains(":aws:policy/", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_platform_role_is_named_within_the_ci_apply_scope_and_trusts_one_service()
    {
        foreach (var role in Stack("dev").Resources("aws_iam_role"))
            Assert.StartsWith("mlopstf-dev-", role["name"]!.GetValue<string>());
        var trust = Stack("dev").Statements("sagemaker-execution-role/trust");
        var statement = Assert.Single(trust)!;
        Assert.Equal("sagemaker.amazonaws.com", statement["principals"]![0]!["identifiers"]![0]!.GetValue<string>());
        Assert.Equal("aws:SourceAccount", statement["condition"]![0]!["variable"]!.GetValue<string>());
    }

    [Fact]
    public void Vpc_guard_denies_sagemaker_jobs_outside_the_private_subnets_and_is_attached_to_the_job_creators()
    {
        var stack = Stack("dev");
        var statements = JsonValues.BySid(stack.Statements("sagemaker-vpc-guard/document"));
        Assert.Equal("Deny", statements["DenyWithoutVpc"]["effect"]!.GetValue<string>());
        Assert.Contains("sagemaker:CreateTrainingJob", JsonValues.Strings(statements["DenyWithoutVpc"]["actions"]));
        Assert.Equal(("Null", "sagemaker:VpcSubnets", "true"), (statements["DenyWithoutVpc"]["condition"]![0]!["test"]!.GetValue<string>(),
            statements["DenyWithoutVpc"]["condition"]![0]!["variable"]!.GetValue<string>(), statements["DenyWithoutVpc"]["condition"]![0]!["values"]![0]!.GetValue<string>()));
        var subnets = JsonValues.Strings(statements["DenyOutsidePlatformSubnets"]["condition"]![0]!["values"]);
        Assert.Equal(Environments.Dev.Config.AvailabilityZones.Select(az => stack.Ref("aws_subnet", $"network/private-{az}", "id")), subnets);
        Assert.Null(statements["DenyWithoutVpc"]["principals"]);
        var guard = stack.Ref("aws_iam_policy", "sagemaker-vpc-guard/policy", "arn");
        var attachedTo = stack.Resources("aws_iam_role_policy_attachment").Where(a => a["policy_arn"]!.GetValue<string>() == guard)
            .Select(a => a["role"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(new[] { stack.Ref("aws_iam_role", "sagemaker-execution-role/role", "name"), stack.Ref("aws_iam_role", "training-pipeline/role/role", "name") }.Order(), attachedTo);
    }

    [Fact]
    public void Service_role_rejects_duplicate_or_empty_policies()
    {
        var stack = Scratch.Stack();
        var role = new ServiceRole(stack, "r", new ServiceRoleProps { RoleName = "r", Service = "lambda.amazonaws.com", Description = "d" });
        role.AddPolicy("p", MlopsTf.Constructs.Common.Policy.Allow("A", ["s3:GetObject"], ["arn:aws:s3:::b/*"]));
        Scratch.Rejects(() => role.AddPolicy("p", MlopsTf.Constructs.Common.Policy.Allow("A", ["s3:GetObject"], ["arn:aws:s3:::b/*"])), "already has a policy named \"p\"");
        Scratch.Rejects(() => role.AddPolicy("q"), "policy \"q\" has no statements");
        Scratch.Rejects(() => new ServiceRole(stack, "long", new ServiceRoleProps { RoleName = new string('r', 65), Service = "x", Description = "d" }), "ServiceRoleProps.RoleName", "1-64");
    }
}
