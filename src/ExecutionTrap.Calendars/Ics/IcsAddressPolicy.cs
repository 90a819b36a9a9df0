using System.Net;
using System.Net.Sockets;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>
/// Which network addresses a feed may be read from. A feed address is typed by a leader, so the
/// server must never become their way into its own network: loopback, private, link-local,
/// CGNAT, unique-local, multicast, reserved and cloud-metadata addresses are refused, in every
/// spelling (IPv4-mapped, IPv4-compatible, NAT64 and 6to4 IPv6 forms included), unless the
/// operator allow-listed the network (<see cref="IcsOptions.AllowedNetworks"/>).
/// </summary>
internal sealed class IcsAddressPolicy
{
    // Names that reach a cloud's instance metadata; their addresses are refused below as well,
    // the names are refused first so the message is immediate and no DNS query leaves.
    private static readonly string[] MetadataNames =
    [
        "metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal", "metadata.azure.internal",
    ];

    private static readonly IPNetwork[] RefusedV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"), // "this network"; 0.0.0.0 reaches the local host on Linux
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"), // CGNAT; Alibaba's metadata is 100.100.100.200
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), // link-local; 169.254.169.254 is AWS/GCP/Azure metadata
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"), // IETF protocol assignments (192.0.0.192 is Oracle's metadata)
        IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.88.99.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"), // multicast
        IPNetwork.Parse("240.0.0.0/4"), // reserved, 255.255.255.255 broadcast included
    ];

    private static readonly IPNetwork[] RefusedV6 =
    [
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("100::/64"), // discard
        IPNetwork.Parse("64:ff9b:1::/48"), // local-use NAT64 (RFC 8215): where the IPv4 address sits depends on the operator's prefix, so all of it
        IPNetwork.Parse("2001::/32"), // Teredo: tunnels to an obscured IPv4 address
        IPNetwork.Parse("2001:db8::/32"), // documentation
        IPNetwork.Parse("fc00::/7"), // unique-local; fd00:ec2::254 is AWS's IPv6 metadata
        IPNetwork.Parse("fe80::/10"), // link-local
        IPNetwork.Parse("fec0::/10"), // the old site-local
        IPNetwork.Parse("ff00::/8"), // multicast
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork Ipv4Translated = IPNetwork.Parse("::ffff:0:0:0/96"); // SIIT "IPv4-translated" addresses (RFC 2765)
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    private readonly IPNetwork[] _allowed;

    public IcsAddressPolicy(IEnumerable<string> allowedNetworks)
    {
        _allowed = [.. allowedNetworks.Where(n => !string.IsNullOrWhiteSpace(n)).Select(ParseNetwork)];
    }

    /// <summary>Parses a CIDR ("10.1.0.0/16") or one address ("10.1.2.3").</summary>
    /// <exception cref="FormatException">Not a network.</exception>
    public static IPNetwork ParseNetwork(string network)
    {
        var trimmed = network.Trim();
        if (IPNetwork.TryParse(trimmed, out var parsed))
        {
            return parsed;
        }

        if (IPAddress.TryParse(trimmed, out var single))
        {
            return new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        }

        throw new FormatException($"'{trimmed}' is not a network: expected a CIDR such as 10.20.0.0/16 or one address.");
    }

    /// <summary>Whether a connection to this (resolved) address may be opened.</summary>
    public bool Permits(IPAddress address)
    {
        var plain = Unwrap(address);
        if (_allowed.Any(n => n.Contains(address) || n.Contains(plain)))
        {
            return true;
        }

        return plain.AddressFamily == AddressFamily.InterNetwork
            ? !RefusedV4.Any(n => n.Contains(plain))
            : plain.AddressFamily == AddressFamily.InterNetworkV6 && !RefusedV6.Any(n => n.Contains(plain)) && !plain.IsIPv6SiteLocal;
    }

    /// <summary>Whether a host name (before any DNS query) is one that is never read: a cloud metadata name.</summary>
    public static bool IsRefusedName(string host)
    {
        var name = host.TrimEnd('.').ToLowerInvariant();
        return MetadataNames.Contains(name, StringComparer.Ordinal);
    }

    /// <summary>The IPv4 address an IPv6 address carries (mapped, compatible, translated, NAT64, 6to4), else the address itself.</summary>
    public static IPAddress Unwrap(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();

        // ::a.b.c.d (deprecated "IPv4-compatible"); :: and ::1 themselves stay IPv6.
        if (bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && !(bytes.AsSpan(12, 3).IndexOfAnyExcept((byte)0) < 0 && bytes[15] <= 1))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        if (Nat64.Contains(address) || Ipv4Translated.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        if (SixToFour.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(2, 4));
        }

        return address;
    }
}
