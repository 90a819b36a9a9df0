using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExecutionTrap.Calendars.Ics;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.IntegrationTests.Calendars.Ics;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.IntegrationTests.Web;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Connections;
using ExecutionTrap.Web.Leaders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Security;

/// <summary>
/// Issue 12, "outbound fetches": a leader's calendar address can never make the server fetch from
/// its own network or read its own files. Every hostile address is tried through the real add
/// API and through a sync of a connection already stored with it; a counting listener on loopback
/// proves that no connection reached it.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class OutboundFetchTests(PostgresServer postgres)
{
    // {P}: the victim on 127.0.0.1; {P6}: the victim on ::1; {R}: an allow-listed server on
    // 127.0.0.2 that redirects to the victim; {S}: a secret in the path; {FILE}: a readable .ics file.
    public static readonly TheoryData<string> Databases = new() { "Sqlite", "PostgreSql" };

    private static readonly string[] HostileAddresses =
    [
        "http://127.0.0.1:{P}/feed-{S}.ics",
        "https://127.0.0.1:{P}/feed-{S}.ics",
        "http://localhost:{P}/feed-{S}.ics",
        "http://2130706433:{P}/feed-{S}.ics", // decimal 127.0.0.1
        "http://0x7f.1:{P}/feed-{S}.ics", // hex, shortened
        "http://0177.0.0.1:{P}/feed-{S}.ics", // octal
        "http://127.1:{P}/feed-{S}.ics", // shortened
        "http://0.0.0.0:{P}/feed-{S}.ics", // reaches the local host on Linux
        "http://[::ffff:127.0.0.1]:{P}/feed-{S}.ics", // IPv4-mapped IPv6
        "http://[::ffff:7f00:1]:{P}/feed-{S}.ics", // the same, in hex
        "http://[::ffff:0:7f00:1]:{P}/feed-{S}.ics", // IPv4-translated (SIIT) loopback: a security review got it through
        "http://[64:ff9b:1::a9fe:a9fe]/latest/{S}", // local-use NAT64 of the metadata address: same review
        "http://[::1]:{P6}/feed-{S}.ics",
        "http://[::]:{P6}/feed-{S}.ics",
        "webcal://127.0.0.1:{P}/feed-{S}.ics",
        "http://10.0.0.1:{P}/feed-{S}.ics",
        "http://172.16.5.4:{P}/feed-{S}.ics",
        "http://192.168.1.1:{P}/feed-{S}.ics",
        "http://100.64.0.1:{P}/feed-{S}.ics", // CGNAT
        "http://169.254.169.254/latest/meta-data/{S}", // AWS, GCP and Azure metadata
        "http://[fd00:ec2::254]/latest/meta-data/{S}", // AWS IPv6 metadata (unique-local)
        "http://[fe80::1]:{P}/feed-{S}.ics", // IPv6 link-local
        "http://[::ffff:169.254.169.254]/latest/{S}", // metadata, IPv4-mapped
        "http://224.0.0.1:{P}/feed-{S}.ics", // multicast
        "http://255.255.255.255:{P}/feed-{S}.ics", // broadcast
        "http://metadata.google.internal/computeMetadata/v1/{S}",
        "http://intranet.test:{P}/feed-{S}.ics", // the test DNS resolves it to 127.0.0.1
        "http://rebind.test:{P}/feed-{S}.ics", // the test DNS answers a public address and 127.0.0.1
        "http://127.0.0.2:{R}/redirect-{S}.ics", // allow-listed, but redirects to the victim
        "file://{FILE}",
        "{FILE}",
        "/etc/passwd",
    ];

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddConnection_RefusesEveryHostileAddress_AndNoRequestReachesTheListener(string database)
    {
        await using var scene = await Scene.StartAsync(database, postgres);
        var client = await DevSignIn.SignInAsync(scene.App, "mallory@example.com");
        var failures = new List<string>();

        foreach (var template in HostileAddresses)
        {
            var address = scene.Fill(template);
            using var response = await client.PostAsJsonAsync("/api/connections", new { address });
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.Created)
            {
                // Accepted (a public-looking or allow-listed address): its first sync must refuse it.
                var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
                var view = await WaitForFailedSyncAsync(client, id);
                if (view?.Problem != LeaderConnections.FeedProblem)
                {
                    failures.Add($"{template}: accepted, and its sync ended as {view?.Status} ({view?.Problem})");
                }
            }
            else if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                failures.Add($"{template}: answered {(int)response.StatusCode} {body}");
            }
            else if (LeaksNetworkDetail(body, scene))
            {
                failures.Add($"{template}: the refusal says too much: {body}");
            }

            failures.AddRange(scene.Reached(template));
        }

        Assert.Empty(failures);
        Assert.Equal(0, await scene.App.WithDbAsync(db => db.Meetings.CountAsync()));
        Assert.True(scene.Redirector.Connections > 0, "the allow-listed redirector was called: the redirect was refused after it, not the address before it");
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Sync_RefusesEveryHostileAddress_OfAnAlreadyStoredConnection(string database)
    {
        await using var scene = await Scene.StartAsync(database, postgres);
        var leaderClient = await DevSignIn.SignInAsync(scene.App, "mallory@example.com");
        var leaderId = await scene.App.WithDbAsync(db => db.Leaders.Where(l => l.Email == "mallory@example.com").Select(l => l.Id).SingleAsync());
        var failures = new List<string>();

        foreach (var template in HostileAddresses)
        {
            var address = scene.Fill(template);
            var id = await scene.StoreConnectionAsync(leaderId, address);

            var clock = Stopwatch.StartNew();
            await scene.App.SyncAsync(id);
            clock.Stop();

            var stored = await scene.App.WithDbAsync(db => db.Connections.AsNoTracking().SingleAsync(c => c.Id == id));
            var view = await leaderClient.GetFromJsonAsync<ConnectionDto>($"/api/connections/{id}");
            if (stored.Status != ConnectionStatus.Error || stored.LastError != LeaderConnections.FeedProblem || view?.Problem != LeaderConnections.FeedProblem)
            {
                failures.Add($"{template}: the sync ended as {stored.Status} ({stored.LastError}); the leader saw {view?.Problem}");
            }

            // Refused before connecting, not after waiting for a network that does not answer.
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                failures.Add($"{template}: the sync took {clock.Elapsed.TotalSeconds:0.0} s");
            }

            failures.AddRange(scene.Reached(template));
        }

        Assert.Empty(failures);
        Assert.Equal(0, await scene.App.WithDbAsync(db => db.Meetings.CountAsync()));

        // The operator's log has each failure, by connection, with the host but never the secret path.
        Assert.Contains(scene.App.Logs.Lines, l => l.Contains("Sync of connection", StringComparison.Ordinal) && l.Contains("127.0.0.1", StringComparison.Ordinal));
        Assert.DoesNotContain(scene.App.Logs.Lines, l => l.Contains(scene.Secret, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task PlainHttp_IsRefused_WhenOnlyHttpsIsAllowed_EvenOnAnAllowListedNetwork(string database)
    {
        await using var scene = await Scene.StartAsync(database, postgres, allowHttp: false);
        var client = await DevSignIn.SignInAsync(scene.App, "mallory@example.com");
        var leaderId = await scene.App.WithDbAsync(db => db.Leaders.Where(l => l.Email == "mallory@example.com").Select(l => l.Id).SingleAsync());
        var address = scene.Fill("http://127.0.0.2:{R}/feed-{S}.ics");

        using var response = await client.PostAsJsonAsync("/api/connections", new { address });
        var id = await scene.StoreConnectionAsync(leaderId, address);
        await scene.App.SyncAsync(id);
        var stored = await scene.App.WithDbAsync(db => db.Connections.AsNoTracking().SingleAsync(c => c.Id == id));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(IcsFeedAddresses.NoHttp, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(ConnectionStatus.Error, stored.Status);
        Assert.Equal(0, scene.Redirector.Connections);
        Assert.Equal(0, scene.Victim.Connections);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddConnection_RefusesALocalPath_WithTheSameAnswer_WhetherTheFileExistsOrNot(string database)
    {
        await using var scene = await Scene.StartAsync(database, postgres);
        var client = await DevSignIn.SignInAsync(scene.App, "mallory@example.com");

        using var existing = await client.PostAsJsonAsync("/api/connections", new { address = scene.VictimFile });
        using var missing = await client.PostAsJsonAsync("/api/connections", new { address = Path.Combine(scene.App.Folder, "nothing-here.ics") });
        using var existingUrl = await client.PostAsJsonAsync("/api/connections", new { address = "file://" + scene.VictimFile });
        using var missingUrl = await client.PostAsJsonAsync("/api/connections", new { address = "file:///nowhere/nothing-here.ics" });

        Assert.Equal(HttpStatusCode.BadRequest, existing.StatusCode);
        var refusal = await DetailAsync(existing);
        Assert.Equal(IcsFeedAddresses.NotHttps, refusal);
        Assert.Equal(refusal, await DetailAsync(missing));
        Assert.Equal(refusal, await DetailAsync(existingUrl));
        Assert.Equal(refusal, await DetailAsync(missingUrl));
        Assert.Equal(0, await scene.App.WithDbAsync(db => db.Connections.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddConnection_AnswersBadRequest_WhenTheAddressIsLongerThan2048Characters(string database)
    {
        await using var scene = await Scene.StartAsync(database, postgres);
        var client = await DevSignIn.SignInAsync(scene.App, "mallory@example.com");
        var address = "https://calendar.example.com/" + new string('a', 2100) + ".ics";

        using var response = await client.PostAsJsonAsync("/api/connections", new { address });

        // PostgreSQL's varchar(2048) answered 500 before.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("longer than 2,048 characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await scene.App.WithDbAsync(db => db.Connections.CountAsync()));
    }

    [Fact]
    public async Task Host_RefusesToStart_WhenAConfiguredCalendarIsAFileOnTheServer()
    {
        await using var app = new WebAppFactory("Development", new()
        {
            ["Onboarding:Leaders:0:Email"] = "dana@example.com",
            ["Onboarding:Leaders:0:Calendars:0"] = "/etc/passwd",
        });

        var error = Assert.ThrowsAny<Exception>(() => app.Browser());

        Assert.Contains("Onboarding:Leaders", error.Message, StringComparison.Ordinal);
        Assert.Contains("Only https calendar addresses", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_KeepsReadingHealthyHosts_WhenAnotherHostsCircuitIsOpen()
    {
        await using var failing = await LocalHttpServer.StartAsync();
        await using var healthy = await LocalHttpServer.StartAsync();

        // Retry-After: 0 makes the standard retries immediate, so the breaker's 100 calls take no time.
        failing.Map("/feed.ics", CannedResponse.Text(503, "down").WithHeader("Retry-After", "0"));
        healthy.Map("/feed.ics", CannedResponse.Text(200, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "text/calendar"));
        using var host = IcsTestHost.Build();
        var reader = host.Services.GetRequiredService<IcsFeedReader>();
        CalendarSourceException? last = null;
        for (var read = 0; read < 60 && last?.Message.Contains("was not called again", StringComparison.Ordinal) != true; read++)
        {
            last = await Assert.ThrowsAsync<CalendarSourceException>(() => reader.ReadAsync(failing.UrlFor("/feed.ics").ToString(), CancellationToken.None));
        }

        var feed = await reader.ReadAsync(healthy.UrlFor("/feed.ics").ToString(), CancellationToken.None);

        Assert.Contains("was not called again", last!.Message, StringComparison.Ordinal); // the failing host's circuit is open
        Assert.NotEmpty(feed.Content);
        Assert.Equal(1, healthy.CountFor("/feed.ics"));
    }

    private static async Task<string?> DetailAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();

    private static bool LeaksNetworkDetail(string body, Scene scene) =>
        body.Contains(scene.Secret, StringComparison.Ordinal)
        || body.Contains("refused the connection", StringComparison.OrdinalIgnoreCase)
        || body.Contains("HTTP 5", StringComparison.Ordinal)
        || body.Contains("does not exist", StringComparison.OrdinalIgnoreCase)
        || body.Contains("   at ", StringComparison.Ordinal);

    private static async Task<ConnectionDto?> WaitForFailedSyncAsync(HttpClient client, Guid id)
    {
        var clock = Stopwatch.StartNew();
        ConnectionDto? view = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            view = await client.GetFromJsonAsync<ConnectionDto>($"/api/connections/{id}");
            if (view?.Status is "sync failed" or "connected")
            {
                return view;
            }

            await Task.Delay(100);
        }

        return view;
    }

    private sealed record ConnectionDto(Guid Id, string Status, string? Problem);

    /// <summary>The host, the victims on loopback, the allow-listed redirector and a readable calendar file.</summary>
    private sealed class Scene : IAsyncDisposable
    {
        private readonly Dictionary<string, int> _seen = [];

        private Scene(OutboundFetchApp app, CountingListener victim, CountingListener? victim6, CountingListener redirector)
        {
            App = app;
            Victim = victim;
            Victim6 = victim6;
            Redirector = redirector;
            Secret = $"s3cret-{Guid.NewGuid():N}";
            Directory.CreateDirectory(app.Folder);
            VictimFile = Path.Combine(app.Folder, $"victim-{Secret}.ics");
            File.WriteAllText(VictimFile, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:file-1\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:Server file\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        }

        public OutboundFetchApp App { get; }

        public CountingListener Victim { get; }

        public CountingListener? Victim6 { get; }

        public CountingListener Redirector { get; }

        public string Secret { get; }

        public string VictimFile { get; }

        public static async Task<Scene> StartAsync(string database, PostgresServer postgres, bool allowHttp = true)
        {
            var victim = CountingListener.Start(IPAddress.Loopback);
            var victim6 = CountingListener.TryStartIPv6();
            var redirector = CountingListener.Start(IPAddress.Parse("127.0.0.2"), $"http://127.0.0.1:{victim.Port}/feed.ics");

            // The operator allow-lists one intranet server, 127.0.0.2, and (unless the test says not) plain http.
            var app = await OutboundFetchApp.StartAsync(database, postgres, new()
            {
                ["Calendars:Ics:AllowHttp"] = allowHttp ? "true" : "false",
                ["Calendars:Ics:AllowedNetworks:0"] = "127.0.0.2/32",
            });
            app.Resolver.Map("intranet.test", IPAddress.Loopback);
            app.Resolver.Map("rebind.test", IPAddress.Parse("93.184.215.14"), IPAddress.Loopback);
            _ = app.Services; // start the host
            return new Scene(app, victim, victim6, redirector);
        }

        public string Fill(string template) => template
            .Replace("{P6}", (Victim6 ?? Victim).Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{P}", Victim.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{R}", Redirector.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{S}", Secret, StringComparison.Ordinal)
            .Replace("{FILE}", VictimFile, StringComparison.Ordinal);

        /// <summary>"template: reached …" for every victim that accepted a connection since the last call.</summary>
        public List<string> Reached(string template)
        {
            var reached = new List<string>();
            foreach (var (name, listener) in new[] { ("127.0.0.1", (CountingListener?)Victim), ("::1", Victim6) })
            {
                if (listener is null)
                {
                    continue;
                }

                var before = _seen.GetValueOrDefault(name);
                if (listener.Connections != before)
                {
                    reached.Add($"{template}: reached the listener on {name} ({listener.Connections - before} connections)");
                    _seen[name] = listener.Connections;
                }
            }

            return reached;
        }

        /// <summary>A connection stored with this address as the add flow stores a feed (encrypted), bypassing its checks.</summary>
        public async Task<Guid> StoreConnectionAsync(Guid leaderId, string address)
        {
            var protector = App.Services.GetRequiredService<FeedAddressProtector>();
            var id = Guid.NewGuid();
            await App.WithDbAsync(async db =>
            {
                db.Connections.Add(new CalendarConnection
                {
                    Id = id,
                    LeaderId = leaderId,
                    Provider = CalendarProvider.Ics,
                    Address = IcsFeedAddresses.Redact(address),
                    ProtectedAddress = protector.Protect(address),
                    DisplayName = "stored",
                    CreatedAt = Instant.FromUtc(2026, 12, 1, 0, 0),
                });
                return await db.SaveChangesAsync();
            });
            return id;
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Victim.DisposeAsync();
            if (Victim6 is not null)
            {
                await Victim6.DisposeAsync();
            }

            await Redirector.DisposeAsync();
            App.DeleteFolder();
        }
    }
}
