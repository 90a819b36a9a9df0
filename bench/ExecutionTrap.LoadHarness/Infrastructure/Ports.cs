using System.Net;
using System.Net.Sockets;

namespace ExecutionTrap.LoadHarness.Infrastructure;

internal static class Ports
{
    /// <summary>A loopback port free right now (the OS picks it; a race with another process is unlikely on loopback).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
