namespace MlopsTf.Tests.Constructs;

/// <summary>
/// Resources that moved into a construct of their own declare where they stood (moved blocks), and those addresses are
/// the ones CDKTF gave them: the address scheme is checked against every resource CDKTF addressed.
/// </summary>
[Collection(JsiiCollection.Name)]
public class ResourceMoveTests
{
    public static TheoryData<string> Stacks => [.. SynthesizedApp.Instance.StackNames];

    [Theory]
    [MemberData(nameof(Stacks))]
    public void The_address_scheme_gives_every_resource_the_address_cdktf_gave_it(string stack)
    {
        var document = SynthesizedApp.Instance.Document(stack);
        var checkedCount = 0;
        foreach (var resource in document.AllResources.Concat(document.DataTypes.SelectMany(document.DataSources)))
        {
            var path = resource.Path.Split('/');
            Assert.Equal(stack, path[0]);
            Assert.Equal(resource.Name, LogicalIds.Of(path[1..]));
            checkedCount++;
        }
        Assert.True(checkedCount > 10, $"{stack}: only {checkedCount} resources checked");
    }

    [Theory]
    [InlineData("a", "a")]
    [InlineData("Default", "x")]
    public void A_single_id_is_its_own_address_and_default_is_left_out(string first, string expected) =>
        Assert.Equal(expected, LogicalIds.Of(first == "Default" ? ["Default", "x"] : [first]));

    [Fact]
    public void Repeated_ids_are_dropped_from_the_readable_part_but_not_from_the_hash()
    {
        var repeated = LogicalIds.Of(["network", "network"]);
        Assert.StartsWith("network_", repeated);
        Assert.NotEqual(LogicalIds.Of(["network"]), repeated);
        Assert.NotEqual(LogicalIds.Of(["network", "work"]), LogicalIds.Of(["network", "net"]));
    }

    [Theory]
    [InlineData("dev", 2)]
    [InlineData("staging", 16)]
    [InlineData("prod", 9)]
    public void Endpoint_alarms_and_autoscaling_declare_the_addresses_they_moved_from(string stack, int expected)
    {
        var json = SynthesizedApp.Instance.Stack(stack);
        var document = SynthesizedApp.Instance.Document(stack);
        var addresses = document.AllResources.Select(r => r.Address).ToHashSet();
        var moves = json["moved"]?.AsArray().Select(m => (From: m!["from"]!.GetValue<string>(), To: m["to"]!.GetValue<string>())).ToList() ?? [];
        Assert.Equal(expected, moves.Count);
        foreach (var (from, to) in moves)
        {
            Assert.DoesNotContain(from, addresses);
            Assert.Contains(to, addresses);
            var moved = document.AllResources.Single(r => r.Address == to);
            var path = moved.Path.Split('/');
            // <endpoint>/alarms/<variant>-<kind> came from <endpoint>/alarm-<variant>-<kind>;
            // <endpoint>/<variant>-autoscaling/<id> from <endpoint>/<variant>-<id> (alarms: alarm-<variant>-<kind>).
            var (scope, construct, id) = (path[1..^2], path[^2], path[^1]);
            var variant = construct.EndsWith("-autoscaling", StringComparison.Ordinal) ? construct[..^"-autoscaling".Length] : null;
            var former = construct == "alarms" ? $"alarm-{id}"
                : moved.Type == "aws_cloudwatch_metric_alarm" ? $"alarm-{variant}-{id}" : $"{variant}-{id}";
            Assert.True(construct == "alarms" || variant is not null, $"{to} is not in an endpoint's alarms or autoscaling construct");
            Assert.Equal($"{moved.Type}.{LogicalIds.Of([.. scope, former])}", from);
        }
        Assert.Equal(moves.Count, moves.Select(m => m.From).Distinct().Count());
    }
}
