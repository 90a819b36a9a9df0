using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.Storage.Entities;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Sync;

/// <summary>Refresh tokens through the real token clients, the encrypted store, the sync job and the reconnect e-mail.</summary>
[Collection(PostgresGroup.Name)]
public sealed class OAuthSyncTests(PostgresServer postgres)
{
    private const string Rotated = "rt-rotated-5c1e7a9f0b2d44";
    private const string Revoked = "rt-revoked-8d2f6b3a1c9e77";

    public static TheoryData<string, CalendarProvider> Cases => new()
    {
        { "Sqlite", CalendarProvider.Microsoft },
        { "PostgreSql", CalendarProvider.Microsoft },
        { "Sqlite", CalendarProvider.Google },
        { "PostgreSql", CalendarProvider.Google },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RunAsync_SavesTheRotatedRefreshTokenEncrypted_WhenTheTokenEndpointRotatesIt(string database, CalendarProvider provider)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, provider);
        AnswerTokens(scene, provider, shortLived: true);
        ScriptOnePage(scene, provider);
        ScriptUnchanged(scene, provider);
        await scene.SyncAsync();
        if (provider == CalendarProvider.Microsoft)
        {
            // The Microsoft client keeps a token until half its life is gone; this one lives two seconds.
            await Task.Delay(TimeSpan.FromSeconds(1.3));
        }

        await scene.SyncAsync();

        var secrets = scene.Host.Host.Services.GetRequiredService<IConnectionSecrets>();
        Assert.Equal(Rotated, await secrets.GetRefreshTokenAsync(scene.ConnectionId, CancellationToken.None));
        var stored = (await scene.Host.ConnectionAsync(scene.ConnectionId)).ProtectedRefreshToken;
        Assert.NotNull(stored);
        Assert.DoesNotContain(Rotated, stored, StringComparison.Ordinal);
        var tokenRequests = scene.Server.Requests(TokenRoute(provider));
        Assert.Equal(2, tokenRequests.Count);
        Assert.Contains($"refresh_token={SyncScene.RefreshToken}", tokenRequests[0].Body, StringComparison.Ordinal);
        Assert.Contains($"refresh_token={Rotated}", tokenRequests[1].Body, StringComparison.Ordinal);
        Assert.Equal(ConnectionStatus.Active, (await scene.Host.ConnectionAsync(scene.ConnectionId)).Status);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RunAsync_AsksForReconnectAndMailsTheLeaderOnce_WhenTheGrantIsRevoked(string database, CalendarProvider provider)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, provider, runWorker: true);
        AnswerTokens(scene, provider, shortLived: false);
        var revokedId = await scene.Host.AddConnectionAsync(scene.LeaderId, provider, Revoked);
        ScriptOnePage(scene, provider);
        await scene.SyncAsync();
        var otherBefore = await scene.Host.ConnectionAsync(scene.ConnectionId);
        var otherMeetings = await scene.MeetingIdsAsync();

        await scene.Host.SyncAsync(revokedId);
        await scene.Host.WaitForIdleJobsAsync(TimeSpan.FromSeconds(20));
        var mailsAfterFirst = Directory.GetFiles(scene.Host.MailFolder, "*.eml");
        var requestsAfterFirst = scene.Server.Count(TokenRoute(provider)) + scene.Server.Count(CalendarRoute(provider));
        await scene.Host.SyncAsync(revokedId);
        await scene.Host.WaitForIdleJobsAsync(TimeSpan.FromSeconds(20));

        var revoked = await scene.Host.ConnectionAsync(revokedId);
        Assert.Equal(ConnectionStatus.NeedsReconnect, revoked.Status);
        Assert.Equal(CalendarErrorKind.NeedsReconnect, revoked.LastErrorKind);
        Assert.Contains("invalid_grant", revoked.LastError, StringComparison.Ordinal);
        var mail = MimeMessage.Load(Assert.Single(mailsAfterFirst));
        Assert.Equal("dana@contoso.example", Assert.Single(mail.To.Mailboxes).Address);
        Assert.StartsWith("Reconnect your " + (provider == CalendarProvider.Microsoft ? "Microsoft 365" : "Google"), mail.Subject, StringComparison.Ordinal);
        Assert.Contains($"/connections/{revokedId}/reconnect", mail.TextBody, StringComparison.Ordinal);

        // The second run finds the connection waiting for its leader: no request, no second e-mail.
        Assert.Equal(requestsAfterFirst, scene.Server.Count(TokenRoute(provider)) + scene.Server.Count(CalendarRoute(provider)));
        Assert.Single(Directory.GetFiles(scene.Host.MailFolder, "*.eml"));

        var other = await scene.Host.ConnectionAsync(scene.ConnectionId);
        Assert.Equal(ConnectionStatus.Active, other.Status);
        Assert.Null(other.LastError);
        Assert.Null(other.ReconnectNoticeSentAt);
        Assert.Equal(otherBefore.Cursor, other.Cursor);
        Assert.Equal(otherBefore.ProtectedRefreshToken, other.ProtectedRefreshToken);
        Assert.Equal(otherMeetings, await scene.MeetingIdsAsync());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RefreshTokens_NeverAppearInPlainText_InTheDatabaseLogsOrErrors(string database, CalendarProvider provider)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, provider);
        AnswerTokens(scene, provider, shortLived: false);
        var revokedId = await scene.Host.AddConnectionAsync(scene.LeaderId, provider, Revoked);
        ScriptOnePage(scene, provider);
        var errors = new List<string>();
        await scene.SyncAsync();
        await scene.Host.SyncAsync(revokedId);
        var source = scene.Host.Host.Services.GetServices<ICalendarSource>().Single(s => s.Provider == provider);
        var window = new Interval(Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2026, 3, 1, 0, 0));
        try
        {
            await foreach (var page in source.ReadAsync(new CalendarReadRequest(revokedId, "primary", window, null, null), CancellationToken.None))
            {
                errors.Add($"a page was read with a revoked grant: {page.Changed.Count}");
            }
        }
        catch (CalendarSourceException e)
        {
            errors.Add(e.ToString());
        }

        string[] secrets = [SyncScene.RefreshToken, Rotated, Revoked];

        var inDatabase = await SecretScanner.FindInDatabaseAsync(scene.Host, secrets);
        var inFiles = scene.Host.SqliteFile is { } file
            ? SecretScanner.FindInFiles([file, file + "-wal", file + "-shm", file + "-journal"], secrets)
            : [];
        var inLogs = scene.Host.Logs.Lines.Where(line => secrets.Any(s => line.Contains(s, StringComparison.Ordinal))).ToList();
        var inErrors = errors.Where(e => secrets.Any(s => e.Contains(s, StringComparison.Ordinal))).ToList();

        Assert.Empty(inDatabase);
        Assert.Empty(inFiles);
        Assert.Empty(inLogs);
        Assert.Empty(inErrors);
        // The scan looked at something: the rotated token was saved, the revoked grant failed and was logged.
        Assert.Equal(Rotated, await scene.Host.Host.Services.GetRequiredService<IConnectionSecrets>().GetRefreshTokenAsync(scene.ConnectionId, CancellationToken.None));
        Assert.Contains(errors, e => e.Contains("invalid_grant", StringComparison.Ordinal));
        Assert.NotEmpty(scene.Host.Logs.Lines);
        Assert.True(scene.Host.SqliteFile is null || File.Exists(scene.Host.SqliteFile));
    }

    private static ReplayRoute TokenRoute(CalendarProvider provider) =>
        provider == CalendarProvider.Microsoft ? ReplayRoute.MicrosoftToken : ReplayRoute.GoogleToken;

    private static ReplayRoute CalendarRoute(CalendarProvider provider) =>
        provider == CalendarProvider.Microsoft ? ReplayRoute.Graph : ReplayRoute.GoogleEvents;

    /// <summary>The original token is rotated on first use, the revoked one is refused, the rotated one works.</summary>
    private static void AnswerTokens(SyncScene scene, CalendarProvider provider, bool shortLived)
    {
        var microsoft = provider == CalendarProvider.Microsoft;
        scene.Server.AlwaysAnswer(TokenRoute(provider), request =>
        {
            if (request.Body.Contains($"refresh_token={Revoked}", StringComparison.Ordinal))
            {
                return microsoft
                    ? ProviderReplayServer.Json("""{"error":"invalid_grant","error_description":"AADSTS700082: The refresh token has expired due to inactivity.","error_codes":[700082]}""", 400)
                    : ProviderReplayServer.Json(SyncFixtures.Read("google", "google-oauth-error-400-invalid-grant-revoked.json"), 400);
            }

            var rotate = request.Body.Contains($"refresh_token={SyncScene.RefreshToken}", StringComparison.Ordinal);
            return microsoft
                ? ProviderReplayServer.MicrosoftTokens("at-graph-2", rotate ? Rotated : null, shortLived ? 2 : 3599)
                : ProviderReplayServer.GoogleTokens("at-google-2", rotate ? Rotated : null, shortLived ? 2 : 3599);
        });
    }

    private static void ScriptOnePage(SyncScene scene, CalendarProvider provider) => scene.Server.Answer(
        CalendarRoute(provider),
        ProviderReplayServer.Json(provider == CalendarProvider.Microsoft
            ? scene.Server.GraphFixture("graph-calendarview-delta-page3-final-deltalink.json")
            : SyncFixtures.Read("google", "google-events-list-final-page-nextsynctoken.json")));

    private static void ScriptUnchanged(SyncScene scene, CalendarProvider provider) => scene.Server.Answer(
        CalendarRoute(provider),
        ProviderReplayServer.Json(provider == CalendarProvider.Microsoft
            ? scene.Server.MoveGraphLinks("""{"value":[],"@odata.deltaLink":"https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=R0usmcSame"}""")
            : """{"kind":"calendar#events","items":[],"nextSyncToken":"CPsame="}"""));
}
