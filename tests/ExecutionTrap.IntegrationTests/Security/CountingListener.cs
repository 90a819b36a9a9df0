using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ExecutionTrap.IntegrationTests.Security;

/// <summary>
/// A victim on loopback: counts every TCP connection it accepts (a refused fetch must not even
/// connect) and answers each with a valid one-event calendar, so that a fetch that did get
/// through would also show up as a synced meeting. With <c>redirectTo</c>, it answers 302 to
/// that address instead (an allow-listed server that redirects into the private network).
/// </summary>
internal sealed class CountingListener : IAsyncDisposable
{
    private const string Calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//victim//EN\r\nBEGIN:VEVENT\r\nUID:victim-1\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:Internal only\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly string? _redirectTo;
    private int _connections;

    private CountingListener(IPAddress address, string? redirectTo)
    {
        _redirectTo = redirectTo;
        _listener = new TcpListener(address, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = AcceptAsync();
    }

    public int Port { get; }

    public int Connections => Volatile.Read(ref _connections);

    public static CountingListener Start(IPAddress address, string? redirectTo = null) => new(address, redirectTo);

    /// <summary>A listener on ::1, or null where this machine has no IPv6 loopback.</summary>
    public static CountingListener? TryStartIPv6()
    {
        try
        {
            return Socket.OSSupportsIPv6 ? new CountingListener(IPAddress.IPv6Loopback, null) : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = AnswerAsync(client);
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[8192];
                _ = await stream.ReadAsync(buffer, _stop.Token);
                var response = _redirectTo is null
                    ? $"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {Encoding.UTF8.GetByteCount(Calendar)}\r\nConnection: close\r\n\r\n{Calendar}"
                    : $"HTTP/1.1 302 Found\r\nLocation: {_redirectTo}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.UTF8.GetBytes(response), _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // The client went away: counted already, nothing to answer.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _listener.Dispose();
        _stop.Dispose();
    }
}
