using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.IntegrationTests.Support;

namespace ExecutionTrap.IntegrationTests.Sync;

/// <summary>A replay server, the service host on one database, and one leader with one connected calendar.</summary>
internal sealed class SyncScene : IAsyncDisposable
{
    public const string RefreshToken = "rt-original-3b7f9c2e41d8a6";

    private SyncScene(ProviderReplayServer server, SyncTestHost host, Guid leaderId, Guid connectionId)
    {
        Server = server;
        Host = host;
        LeaderId = leaderId;
        ConnectionId = connectionId;
    }

    public ProviderReplayServer Server { get; }

    public SyncTestHost Host { get; }

    public Guid LeaderId { get; }

    public Guid ConnectionId { get; }

    public static async Task<SyncScene> StartAsync(
        string database,
        PostgresServer postgres,
        CalendarProvider provider,
        bool runWorker = false,
        TimeProvider? time = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var server = await ProviderReplayServer.StartAsync();
        server.AlwaysAnswer(ReplayRoute.MicrosoftToken, _ => ProviderReplayServer.MicrosoftTokens("at-graph-1"));
        server.AlwaysAnswer(ReplayRoute.GoogleToken, _ => ProviderReplayServer.GoogleTokens("at-google-1"));
        var host = await SyncTestHost.StartAsync(database, postgres, server, runWorker, time, settings);
        var leaderId = await host.AddLeaderAsync();
        var connectionId = await host.AddConnectionAsync(leaderId, provider, RefreshToken);
        return new SyncScene(server, host, leaderId, connectionId);
    }

    public Task SyncAsync(CancellationToken cancellationToken = default) => Host.SyncAsync(ConnectionId, cancellationToken);

    public Task<string[]> MeetingIdsAsync() => Host.MeetingIdsAsync(ConnectionId);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Server.DisposeAsync();
    }
}
