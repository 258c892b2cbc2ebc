using System.Net;
using System.Net.Sockets;

namespace MlopsTf.Constructs.Common;

/// <summary>An IPv4 network in CIDR notation, parsed strictly (the address must be the network address).</summary>
public readonly record struct Ipv4Cidr(uint Network, int PrefixLength)
{
    /// <summary>Number of addresses in the block.</summary>
    public ulong Size => 1UL << (32 - PrefixLength);

    /// <summary>Last address of the block, as an integer.</summary>
    public uint Last => (uint)(Network + Size - 1);

    /// <summary>Whether the two blocks share any address.</summary>
    public bool Overlaps(Ipv4Cidr other) => Network <= other.Last && other.Network <= Last;

    /// <summary>Whether <paramref name="other"/> lies entirely inside this block.</summary>
    public bool Contains(Ipv4Cidr other) => other.Network >= Network && other.Last <= Last && other.PrefixLength >= PrefixLength;

    /// <summary>The <paramref name="index"/>-th subnet of prefix length <paramref name="newPrefix"/> within this block.</summary>
    public Ipv4Cidr Subnet(int newPrefix, int index)
    {
        if (newPrefix < PrefixLength || newPrefix > 32)
            throw new ArgumentOutOfRangeException(nameof(newPrefix), newPrefix, $"must be between {PrefixLength} and 32");
        var count = 1UL << (newPrefix - PrefixLength);
        if (index < 0 || (ulong)index >= count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"a /{PrefixLength} holds {count} /{newPrefix} subnets");
        return new Ipv4Cidr((uint)(Network + (ulong)index * (1UL << (32 - newPrefix))), newPrefix);
    }

    /// <summary>Parses <c>a.b.c.d/n</c>; returns false with a reason when it is not a valid network.</summary>
    public static bool TryParse(string? text, out Ipv4Cidr cidr, out string reason)
    {
        cidr = default;
        var parts = (text ?? "").Split('/');
        if (parts.Length != 2)
        {
            reason = "is not in a.b.c.d/n form";
            return false;
        }
        if (!IPAddress.TryParse(parts[0], out var ip) || ip.AddressFamily != AddressFamily.InterNetwork || parts[0].Count(c => c == '.') != 3)
        {
            reason = $"'{parts[0]}' is not an IPv4 address";
            return false;
        }
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32)
        {
            reason = $"'/{parts[1]}' is not a prefix length between 0 and 32";
            return false;
        }
        var bytes = ip.GetAddressBytes();
        var address = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        if ((address & ~mask) != 0)
        {
            reason = $"host bits are set; the network address for /{prefix} is {Format(address & mask)}";
            return false;
        }
        cidr = new Ipv4Cidr(address, prefix);
        reason = "";
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/>.</summary>
    public static Ipv4Cidr Parse(string text) =>
        TryParse(text, out var cidr, out var reason) ? cidr : throw new FormatException($"CIDR '{text}' {reason}");

    private static string Format(uint address) =>
        $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}";

    /// <inheritdoc />
    public override string ToString() => $"{Format(Network)}/{PrefixLength}";
}
