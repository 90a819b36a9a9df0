using System.Net;
using ExecutionTrap.Calendars.Ics;

namespace ExecutionTrap.UnitTests.Calendars.Ics;

public sealed class IcsAddressPolicyTests
{
    private static readonly IcsAddressPolicy Default = new([]);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]
    [InlineData("100.64.0.1")] // CGNAT
    [InlineData("100.100.100.200")] // Alibaba metadata, inside CGNAT
    [InlineData("169.254.169.254")] // AWS, GCP, Azure metadata
    [InlineData("192.0.0.192")] // Oracle metadata
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")] // AWS IPv6 metadata
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")] // IPv4-mapped
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("::127.0.0.1")] // IPv4-compatible
    [InlineData("64:ff9b::7f00:1")] // NAT64 of 127.0.0.1
    [InlineData("2002:7f00:1::1")] // 6to4 of 127.0.0.1
    [InlineData("2002:a9fe:a9fe::1")] // 6to4 of 169.254.169.254
    [InlineData("::ffff:0:7f00:1")] // IPv4-translated (SIIT) 127.0.0.1: a security review got it through
    [InlineData("64:ff9b:1::a9fe:a9fe")] // local-use NAT64 (RFC 8215) of 169.254.169.254: same review
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")] // Teredo: the IPv4 address it carries is obscured
    public void Permits_IsFalse_ForLocalPrivateAndMetadataAddresses(string address)
    {
        Assert.False(Default.Permits(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")] // just outside 172.16/12
    [InlineData("100.128.0.1")] // just outside CGNAT
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8
    public void Permits_IsTrue_ForPublicAddresses(string address)
    {
        Assert.True(Default.Permits(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("10.20.30.40", true)]
    [InlineData("::ffff:10.20.30.40", true)] // the mapped form of an allowed address is allowed too
    [InlineData("10.20.31.1", false)]
    [InlineData("127.0.0.1", false)]
    public void Permits_FollowsTheAllowList_ForAPrivateNetwork(string address, bool permitted)
    {
        var policy = new IcsAddressPolicy(["10.20.30.0/24"]);

        Assert.Equal(permitted, policy.Permits(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("metadata.google.internal")]
    [InlineData("METADATA.google.internal.")]
    [InlineData("metadata")]
    [InlineData("instance-data")]
    public void IsRefusedName_IsTrue_ForCloudMetadataNames(string host)
    {
        Assert.True(IcsAddressPolicy.IsRefusedName(host));
    }

    [Theory]
    [InlineData("https://calendar.google.com/calendar/ical/dana%40example.com/private-abc/basic.ics", "https://calendar.google.com/…")]
    [InlineData("webcal://p01-caldav.icloud.com/published/2/secret", "https://p01-caldav.icloud.com/…")]
    [InlineData("https://user:password@example.com:8443/feed?token=x", "https://example.com:8443/…")]
    [InlineData("https://example.com/", "https://example.com/")]
    [InlineData("/etc/passwd", "(a local path)")]
    public void Redact_KeepsSchemeAndHost_AndDropsEverythingSecret(string address, string expected)
    {
        Assert.Equal(expected, IcsFeedAddresses.Redact(address));
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("intranet")]
    public void ParseNetwork_Throws_WhenTheSettingIsNotANetwork(string network)
    {
        Assert.Throws<FormatException>(() => IcsAddressPolicy.ParseNetwork(network));
    }
}
