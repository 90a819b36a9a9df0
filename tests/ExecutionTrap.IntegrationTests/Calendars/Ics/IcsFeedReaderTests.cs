using System.Net;
using System.Net.Sockets;
using ExecutionTrap.Calendars;
using ExecutionTrap.Calendars.Ics;
using ExecutionTrap.Domain.Calendars;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.IntegrationTests.Calendars.Ics;

/// <summary>
/// The reader's error messages for networks that do not answer, through a plain client: the
/// service's resilience handler would only add its retries (seconds of back-off) in front.
/// </summary>
public sealed class IcsFeedReaderTests
{
    [Fact]
    public async Task ReadAsync_ThrowsNotFound_WhenConnectionIsRefused()
    {
        var port = UnusedPort();
        var address = $"http://127.0.0.1:{port}/calendar.ics";

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => Reader().ReadAsync(address, CancellationToken.None));

        Assert.Equal(CalendarErrorKind.NotFound, error.Kind);
        Assert.Equal($"http://127.0.0.1:{port}/… cannot be reached: 127.0.0.1:{port} refused the connection.", error.Message);
    }

    [Fact]
    public async Task ReadAsync_ThrowsNotFound_WhenHostDoesNotResolve()
    {
        // .invalid never resolves (RFC 2606).
        const string address = "https://calendar.example.invalid/feed.ics";

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => Reader().ReadAsync(address, CancellationToken.None));

        Assert.Equal(CalendarErrorKind.NotFound, error.Kind);
        Assert.Equal("https://calendar.example.invalid/… cannot be reached: the host calendar.example.invalid was not found (DNS).", error.Message);
    }

    [Theory]
    [InlineData("ftp://example.com/calendar.ics")]
    [InlineData("mailto:someone@example.com")]
    public async Task ReadAsync_ThrowsNotFound_WhenAddressIsNeitherPathNorHttp(string address)
    {
        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => Reader().ReadAsync(address, CancellationToken.None));

        Assert.Equal(CalendarErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public void HashWithoutStamps_IgnoresDtstampLines_AndTheirFolds()
    {
        var stamped = "BEGIN:VEVENT\r\nDTSTAMP:20260101T000000Z\r\nUID:a\r\nEND:VEVENT\r\n"u8;
        var restamped = "BEGIN:VEVENT\r\nDTSTAMP;VALUE=DATE-TIME:2026\r\n 0202T000000Z\r\nUID:a\r\nEND:VEVENT\r\n"u8;
        var changed = "BEGIN:VEVENT\r\nDTSTAMP:20260101T000000Z\r\nUID:b\r\nEND:VEVENT\r\n"u8;

        var first = IcsFeedReader.HashWithoutStamps(stamped);

        Assert.Equal(first, IcsFeedReader.HashWithoutStamps(restamped));
        Assert.NotEqual(first, IcsFeedReader.HashWithoutStamps(changed));
    }

    private static IcsFeedReader Reader()
    {
        // Files and loopback feeds allowed, as the CLI and an intranet operator allow them.
        var options = Options.Create(new CalendarsOptions { Ics = { AllowLocalFiles = true, AllowHttp = true, AllowedNetworks = ["127.0.0.0/8"] } });
        var policy = new IcsAddressPolicy(options.Value.Ics.AllowedNetworks);
        return new(new PlainHttpClientFactory(), new IcsFeedAddresses(options, policy, new DnsIcsHostResolver()), options, TimeProvider.System);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class PlainHttpClientFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}
