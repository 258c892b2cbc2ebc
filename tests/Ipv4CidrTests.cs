namespace MlopsTf.Tests;

public class Ipv4CidrTests
{
    [Fact]
    public void Subnets_are_carved_in_order()
    {
        var vpc = Ipv4Cidr.Parse("10.10.0.0/16");
        Assert.Equal("10.10.0.0/20", vpc.Subnet(20, 0).ToString());
        Assert.Equal("10.10.48.0/20", vpc.Subnet(20, 3).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => vpc.Subnet(20, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => vpc.Subnet(8, 0));
    }

    [Fact]
    public void Overlap_and_containment()
    {
        var a = Ipv4Cidr.Parse("10.0.0.0/16");
        Assert.True(a.Overlaps(Ipv4Cidr.Parse("10.0.255.0/24")));
        Assert.False(a.Overlaps(Ipv4Cidr.Parse("10.1.0.0/16")));
        Assert.True(Ipv4Cidr.Parse("10.0.0.0/8").Contains(a));
        Assert.False(a.Contains(Ipv4Cidr.Parse("10.0.0.0/8")));
    }

    [Fact]
    public void Parse_reports_why()
    {
        var ex = Assert.Throws<FormatException>(() => Ipv4Cidr.Parse("10.0.0.1/24"));
        Assert.Equal("CIDR '10.0.0.1/24' host bits are set; the network address for /24 is 10.0.0.0", ex.Message);
    }
}
