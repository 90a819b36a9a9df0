using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.IntegrationTests.Sync;
using ExecutionTrap.IntegrationTests.Web;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Connections;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExecutionTrap.IntegrationTests.Security;

/// <summary>
/// Issue 12, "secrets at rest": a published calendar's link reads the whole calendar, so it is kept
/// like a refresh token — encrypted in the database, absent from logs, job arguments and pages —
/// and the key ring that encrypts both is itself encrypted with a certificate.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class SecretsAtRestTests(PostgresServer postgres)
{
    public static readonly TheoryData<string> Databases = new() { "Sqlite", "PostgreSql" };

    private const string Calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:one\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:Planning\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task FeedUrl_IsStoredEncrypted_AndAppearsInNoTableLogJobOrPage(string database)
    {
        var secret = $"private-{Guid.NewGuid():N}";
        await using var feed = await LocalHttpServer.StartAsync();
        var path = $"/calendar/ical/{secret}/basic.ics";

        // Read once, then failing (retried: Retry-After 0 keeps it quick), then gone (a reset link):
        // the success, retry and failure paths all run, and all log.
        var failing = CannedResponse.Text(503, "busy").WithHeader("Retry-After", "0");
        feed.Map(path, CannedResponse.Text(200, Calendar, "text/calendar"), failing, failing, failing, failing, CannedResponse.Text(404, "gone"));
        var address = feed.UrlFor(path).ToString();
        await using var app = await OutboundFetchApp.StartAsync(database, postgres, LocalFeeds.With());
        try
        {
            var client = await DevSignIn.SignInAsync(app, "dana@example.com");
            using var created = await client.PostAsJsonAsync("/api/connections", new { address });
            var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
            await WaitUntilAsync(() => app.WithDbAsync(db => db.Connections.AnyAsync(c => c.Id == id && c.LastSyncedAt != null)));
            await Assert.ThrowsAsync<CalendarSourceException>(() => app.SyncAsync(id)); // 503: left to Hangfire's retry
            await app.SyncAsync(id); // answers 404 now
            var page = await client.GetStringAsync("/connections");
            var api = await client.GetStringAsync("/api/connections");
            var stored = await app.WithDbAsync(db => db.Connections.AsNoTracking().SingleAsync(c => c.Id == id));

            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal(ConnectionStatus.Error, stored.Status);
            Assert.Equal(address, app.Services.GetRequiredService<FeedAddressProtector>().Unprotect(stored.ProtectedAddress!));
            Assert.Empty(await SecretScanner.FindInDatabaseAsync(app.Services, database == "PostgreSql", [secret]));
            if (database == "Sqlite")
            {
                var files = Directory.GetFiles(app.DataFolder, "executiontrap.db*");
                Assert.NotEmpty(files);
                Assert.Empty(SecretScanner.FindInFiles(files, [secret]));
            }

            // The operator sees the failure and the host, never the path that is the secret.
            Assert.Contains(app.Logs.Lines, l => l.Contains("Sync of connection", StringComparison.Ordinal) && l.Contains("127.0.0.1", StringComparison.Ordinal));
            Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(JobArguments(app), a => a.Contains(secret, StringComparison.Ordinal));

            // The owner's masked view names the host only.
            Assert.Contains("127.0.0.1", page, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, page, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, api, StringComparison.Ordinal);
        }
        finally
        {
            app.DeleteFolder();
        }
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task KeyRing_IsEncryptedWithACertificate_AndStillReadAfterARestart(string database)
    {
        await using var feed = await LocalHttpServer.StartAsync();
        feed.Map("/feed.ics", CannedResponse.Text(200, Calendar, "text/calendar"));
        var address = feed.UrlFor("/feed.ics").ToString();
        var first = await OutboundFetchApp.StartAsync(database, postgres, LocalFeeds.With());
        Guid id;
        try
        {
            var client = await DevSignIn.SignInAsync(first, "dana@example.com");
            using var created = await client.PostAsJsonAsync("/api/connections", new { address });
            id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
            await WaitUntilAsync(() => first.WithDbAsync(db => db.Connections.AnyAsync(c => c.Id == id && c.LastSyncedAt != null)));
        }
        finally
        {
            await first.DisposeAsync();
        }

        // The same data folder and database: the development certificate made by the first start is found again.
        await using var second = await OutboundFetchApp.StartAsync(database, postgres, LocalFeeds.With(), first.Folder, first.ConnectionString);
        try
        {
            await second.SyncAsync(id);
            var stored = await second.WithDbAsync(db => db.Connections.AsNoTracking().SingleAsync(c => c.Id == id));
            var keys = await second.WithDbAsync(db => db.DataProtectionKeys.AsNoTracking().ToListAsync());

            Assert.Equal(ConnectionStatus.Active, stored.Status);
            Assert.Null(stored.LastError);
            Assert.True(File.Exists(Path.Combine(first.DataFolder, KeyRingProtection.DevelopmentCertificateFile)));
            Assert.NotEmpty(keys);
            Assert.All(keys, k =>
            {
                Assert.Contains("<EncryptedData", k.Xml, StringComparison.Ordinal);
                Assert.DoesNotContain("<masterKey", k.Xml, StringComparison.Ordinal);
                Assert.DoesNotContain("unencrypted form", k.Xml, StringComparison.Ordinal);
            });
            Assert.DoesNotContain(first.Logs.Lines.Concat(second.Logs.Lines), l => l.Contains("No XML encryptor configured", StringComparison.Ordinal));
        }
        finally
        {
            second.DeleteFolder();
        }
    }

    [Fact]
    public async Task Host_RefusesToStart_OutsideDevelopment_WithoutAKeyRingCertificate()
    {
        await using var app = new WebAppFactory("Production", new()
        {
            ["Reports:UnsubscribeKey"] = "a-production-unsubscribe-key-of-forty-characters",
            [TestKeyRingCertificate.Setting] = "",
        });

        var error = Assert.ThrowsAny<Exception>(() => app.Browser());

        Assert.Contains("DataProtection:CertificatePath", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_Starts_OutsideDevelopment_WithTheCertificateFromConfiguration()
    {
        await using var app = new WebAppFactory("Production", new() { ["Reports:UnsubscribeKey"] = "a-production-unsubscribe-key-of-forty-characters" });
        var protector = app.Services.GetRequiredService<FeedAddressProtector>();

        var roundTrip = protector.Unprotect(protector.Protect("https://calendar.example.com/private-token/basic.ics"));
        var keys = new List<string>();
        await app.WithDbAsync(async db => keys.AddRange(await db.DataProtectionKeys.Select(k => k.Xml ?? "").ToListAsync()));

        Assert.Equal("https://calendar.example.com/private-token/basic.ics", roundTrip);
        Assert.NotEmpty(keys);
        Assert.All(keys, xml => Assert.Contains("<EncryptedData", xml, StringComparison.Ordinal));
    }

    private static IEnumerable<string> JobArguments(OutboundFetchApp app)
    {
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var jobs = monitoring.SucceededJobs(0, 100).Select(j => j.Value.Job)
            .Concat(monitoring.FailedJobs(0, 100).Select(j => j.Value.Job))
            .Concat(monitoring.ProcessingJobs(0, 100).Select(j => j.Value.Job));
        return jobs.Where(j => j is not null).Select(j => string.Join(" ", j.Args.Select(a => a?.ToString())));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("The first sync did not finish within 60 s.");
            }

            await Task.Delay(100);
        }
    }
}
