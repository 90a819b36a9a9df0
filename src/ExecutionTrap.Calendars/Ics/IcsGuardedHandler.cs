using System.Net;
using System.Net.Sockets;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>
/// The socket handler of the ICS client: every connection (redirects included, as each opens its
/// own) is opened to an address that was checked after resolution, so neither a numeric spelling
/// of loopback, nor a name that resolves into the private network, nor a DNS answer that changes
/// between check and connect reaches anything the policy refuses. No proxy: a proxy would be
/// connected to instead of the feed, and the check would look at the wrong address.
/// </summary>
internal static class IcsGuardedHandler
{
    public static SocketsHttpHandler Create(IcsAddressPolicy policy, IIcsHostResolver resolver) => new()
    {
        AllowAutoRedirect = false, // the reader follows redirects itself, checking each
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(policy, resolver, context.DnsEndPoint, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(IcsAddressPolicy policy, IIcsHostResolver resolver, DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        var host = endPoint.Host.Trim('[', ']');
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else if (IcsAddressPolicy.IsRefusedName(host))
        {
            throw new IcsRefusedAddressException($"{host} is a cloud metadata name, which this service never reads from.");
        }
        else
        {
            addresses = await resolver.ResolveAsync(host, cancellationToken);
        }

        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        // One refused answer refuses the host: a name that mixes public and private answers is a rebinding attempt.
        if (addresses.FirstOrDefault(a => !policy.Permits(a)) is { } refused)
        {
            throw new IcsRefusedAddressException($"{host} resolves to {refused}, a network this service does not read from (Calendars:Ics:AllowedNetworks).");
        }

        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    /// <summary>Whether a failure was this guard refusing the address (so it is not retried).</summary>
    public static bool IsRefusal(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IcsRefusedAddressException)
            {
                return true;
            }
        }

        return false;
    }
}
