using MlopsTf.Constructs.Network;

namespace MlopsTf.Tests.Constructs;

[Collection(JsiiCollection.Name)]
public class NetworkTests
{
    private static StackDocument Stack(string env) => SynthesizedApp.Instance.Document(env);

    [Theory]
    [InlineData("dev", 1)]
    [InlineData("staging", 2)]
    [InlineData("prod", 3)]
    public void Nat_gateways_follow_the_environment_strategy(string env, int expected)
    {
        Assert.Equal(expected, Stack(env).Resources("aws_nat_gateway").Count());
        Assert.Equal(expected, Stack(env).Resources("aws_eip").Count());
    }

    [Fact]
    public void Dev_private_subnets_share_the_single_nat_and_prod_subnets_use_their_own()
    {
        var dev = Stack("dev");
        var devNat = $"${{{dev.Resource("aws_nat_gateway", "network/nat-us-east-1a").Address}.id}}";
        foreach (var az in Dev.Config.AvailabilityZones)
            Assert.Equal(devNat, dev.Resource("aws_route", $"network/private-{az}-default-route")["nat_gateway_id"]!.GetValue<string>());
        var prod = Stack("prod");
        foreach (var az in Prod.Config.AvailabilityZones)
            Assert.Equal($"${{{prod.Resource("aws_nat_gateway", $"network/nat-{az}").Address}.id}}",
                prod.Resource("aws_route", $"network/private-{az}-default-route")["nat_gateway_id"]!.GetValue<string>());
    }

    [Fact]
    public void Subnets_are_carved_from_the_vpc_cidr_without_overlap()
    {
        var subnets = Stack("prod").Resources("aws_subnet").Select(s => s["cidr_block"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["10.30.0.0/18", "10.30.128.0/18", "10.30.192.0/21", "10.30.200.0/21", "10.30.208.0/21", "10.30.64.0/18"], subnets);
        Assert.All(Stack("prod").Resources("aws_subnet"), s => Assert.False(s["map_public_ip_on_launch"]!.GetValue<bool>()));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Default_security_group_is_stripped_and_every_rule_is_described_and_closed_to_the_internet(string env)
    {
        var dsg = Stack(env).Resource("aws_default_security_group", "network/default-security-group");
        Assert.Empty(dsg["ingress"]!.AsArray());
        Assert.Empty(dsg["egress"]!.AsArray());
        var rules = Stack(env).Resources("aws_vpc_security_group_egress_rule")
            .Concat(Stack(env).Resources("aws_vpc_security_group_ingress_rule")).ToList();
        Assert.NotEmpty(rules);
        Assert.All(rules, r => Assert.False(string.IsNullOrWhiteSpace(r["description"]?.GetValue<string>())));
        Assert.All(rules, r => Assert.Null(r["cidr_ipv4"]));
        Assert.All(Stack(env).Resources("aws_vpc_security_group_egress_rule").Where(r => r["ip_protocol"]!.GetValue<string>() != "-1"),
            r => Assert.Equal(443, r["from_port"]!.GetValue<int>()));
        Assert.DoesNotContain(Stack(env).Resources("aws_security_group"), g => g["ingress"] is not null || g["egress"] is not null);
    }

    [Fact]
    public void Gateway_and_interface_endpoints_with_private_dns()
    {
        var endpoints = Stack("dev").Resources("aws_vpc_endpoint").ToList();
        var gateways = endpoints.Where(e => e["vpc_endpoint_type"]!.GetValue<string>() == "Gateway").Select(e => e["service_name"]!.GetValue<string>()).Order();
        Assert.Equal(["com.amazonaws.us-east-1.dynamodb", "com.amazonaws.us-east-1.s3"], gateways);
        var interfaces = endpoints.Where(e => e["vpc_endpoint_type"]!.GetValue<string>() == "Interface").ToList();
        Assert.Equal(NetworkProps.DefaultInterfaceEndpoints.Select(s => $"com.amazonaws.us-east-1.{s}").Order(),
            interfaces.Select(e => e["service_name"]!.GetValue<string>()).Order());
        Assert.All(interfaces, e => Assert.True(e["private_dns_enabled"]!.GetValue<bool>()));
    }

    [Theory]
    [InlineData("dev", 30)]
    [InlineData("prod", 365)]
    public void Flow_logs_go_to_an_encrypted_group_with_the_environment_retention_through_a_scoped_role(string env, int retention)
    {
        var stack = Stack(env);
        var group = stack.Resource("aws_cloudwatch_log_group", "network/flow-log-group/log-group");
        Assert.Equal(retention, group["retention_in_days"]!.GetValue<int>());
        Assert.Equal($"${{{stack.Resource("aws_kms_key", "logs-key/key").Address}.arn}}", group["kms_key_id"]!.GetValue<string>());
        var flowLog = stack.Resource("aws_flow_log", "network/flow-log");
        Assert.Equal("ALL", flowLog["traffic_type"]!.GetValue<string>());
        Assert.Equal($"${{{stack.Resource("aws_iam_role", "network/flow-log-role/role").Address}.arn}}", flowLog["iam_role_arn"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("10.0.0.0/8", "/16 to /20")]
    [InlineData("10.0.0.1/16", "host bits")]
    public void Invalid_cidr_is_rejected(string cidr, string reason)
    {
        var stack = Scratch.Stack();
        Scratch.Rejects(() => new Network(stack, "n", Props(stack) with { Cidr = cidr }), "NetworkProps.Cidr", cidr, reason);
    }

    [Fact]
    public void One_zone_is_rejected()
    {
        var stack = Scratch.Stack();
        Scratch.Rejects(() => new Network(stack, "n", Props(stack) with { AvailabilityZones = ["us-east-1a"] }), "NetworkProps.AvailabilityZones", "two or three");
    }

    private static NetworkProps Props(HashiCorp.Cdktf.TerraformStack stack) => new()
    {
        Cidr = "10.0.0.0/16",
        AvailabilityZones = ["us-east-1a", "us-east-1b"],
        LogsKey = Scratch.Key(stack),
        FlowLogRetentionDays = 30,
    };
}
