using System.Net;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>
/// Turns a feed's host name into addresses. A seam so that tests can make a name resolve to
/// loopback (the DNS-rebinding and "intranet name" cases) without touching the machine's DNS.
/// </summary>
internal interface IIcsHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

internal sealed class DnsIcsHostResolver : IIcsHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}
