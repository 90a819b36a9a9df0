using ExecutionTrap.Calendars.Microsoft;
using ExecutionTrap.Domain.Calendars;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ExecutionTrap.IntegrationTests.Calendars.Microsoft;

public sealed class MicrosoftTokenClientTests : IAsyncLifetime
{
    private static readonly Guid ConnectionId = Guid.Parse("0b7c3a52-0000-4000-8000-00000000000a");

    private readonly FakeConnectionSecrets _secrets = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly RecordingLoggerProvider _logs = new();
    private GraphReplayServer _server = null!;
    private IHost _host = null!;

    private MicrosoftTokenClient Client => _host.Services.GetRequiredService<MicrosoftTokenClient>();

    public async Task InitializeAsync()
    {
        _server = await GraphReplayServer.StartAsync();
        _host = await MicrosoftTestHost.StartAsync(_server, _secrets, _time, _logs);
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task GetAccessTokenAsync_SavesTheRotatedRefreshToken_WhenRefreshSucceeds()
    {
        _secrets.Hold(ConnectionId, "refresh-old");
        _server.AnswerToken(200, MicrosoftTestHost.TokenAnswer("access-1", "refresh-new"));

        var token = await Client.GetAccessTokenAsync(ConnectionId, forceRefresh: false, CancellationToken.None);

        Assert.Equal("access-1", token);
        Assert.Equal("refresh-new", _secrets.Held(ConnectionId));
        var request = Assert.Single(_server.TokenRequests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/{MicrosoftTestHost.Tenant}/oauth2/v2.0/token", request.PathAndQuery);
        var form = QueryHelpers.ParseQuery(request.Body);
        Assert.Equal("refresh_token", form["grant_type"]);
        Assert.Equal("refresh-old", form["refresh_token"]);
        Assert.Equal(MicrosoftTestHost.ClientId, form["client_id"]);
        Assert.Equal(MicrosoftTestHost.ClientSecret, form["client_secret"]);
        Assert.Equal("offline_access User.Read Calendars.Read", form["scope"]);
    }

    [Fact]
    public async Task GetAccessTokenAsync_KeepsTheRefreshToken_WhenNoneIsRotated()
    {
        _secrets.Hold(ConnectionId, "refresh-old");
        _server.AnswerToken(200, MicrosoftTestHost.TokenAnswer("access-1", refreshToken: null));

        await Client.GetAccessTokenAsync(ConnectionId, forceRefresh: false, CancellationToken.None);

        Assert.Equal("refresh-old", _secrets.Held(ConnectionId));
        Assert.Equal(0, _secrets.Saves);
    }

    [Fact]
    public async Task GetAccessTokenAsync_ReusesTheCachedToken_UntilShortlyBeforeItExpires()
    {
        _secrets.Hold(ConnectionId, "refresh-old");
        _server.AnswerToken(200, MicrosoftTestHost.TokenAnswer("access-1", "refresh-2", expiresIn: 3600));
        _server.AnswerToken(200, MicrosoftTestHost.TokenAnswer("access-2", "refresh-3", expiresIn: 3600));

        var first = await Client.GetAccessTokenAsync(ConnectionId, forceRefresh: false, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(54));
        var cached = await Client.GetAccessTokenAsync(ConnectionId, forceRefresh: false, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        var refreshed = await Client.GetAccessTokenAsync(ConnectionId, forceRefresh: false, CancellationToken.None);

        Assert.Equal(["access-1", "access-1", "access-2"], new[] { first, cached, refreshed });
        Assert.Equal(2, _server.TokenRequests.Count);
        Assert.Equal("refresh-2", QueryHelpers.ParseQuery(_server.TokenRequests[1].Body)["refresh_token"]);
    }

    [Theory]
    [InlineData("invalid_grant")]
    [InlineData("interaction_required")]
    [InlineData("consent_required")]
    public async Task GetAccessTokenAsync_MarksNeedsReconnectOnceAndThrows_WhenTheGrantIsRefused(string error)
    {
        _secrets.Hold(ConnectionId, "refresh-old");
        _server.AnswerToken(400, $$"""
            {"error":"{{error}}","error_description":"AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.\r\nTrace ID: 0000\r\nCorrelation ID: 1111","error_codes":[70008]}
            """);

        var thrown = await Assert.ThrowsAsync<CalendarSourceException>(
            () => Client.GetAccessTokenAsync(ConnectionId, forceRefresh: false, CancellationToken.None));

        Assert.Equal(CalendarErrorKind.NeedsReconnect, thrown.Kind);
        var mark = Assert.Single(_secrets.NeedsReconnect);
        Assert.Equal(ConnectionId, mark.ConnectionId);
        Assert.Contains(error, mark.Reason, StringComparison.Ordinal);
        Assert.Contains("AADSTS70008", thrown.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Trace ID", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAccessTokenAsync_MarksNeedsReconnect_WhenNoRefreshTokenIsHeld()
    {
        var thrown = await Assert.ThrowsAsync<CalendarSourceException>(
            () => Client.GetAccessTokenAsync(ConnectionId, forceRefresh: false, CancellationToken.None));

        Assert.Equal(CalendarErrorKind.NeedsReconnect, thrown.Kind);
        Assert.Single(_secrets.NeedsReconnect);
        Assert.Empty(_server.TokenRequests);
    }

    [Fact]
    public async Task GetAccessTokenAsync_NeverWritesTheTokens_InLogsOrExceptionMessages()
    {
        _secrets.Hold(ConnectionId, "refresh-SECRET-old");
        _server.AnswerToken(200, MicrosoftTestHost.TokenAnswer("access-SECRET-1", "refresh-SECRET-new"));
        // A token endpoint that quotes the token back must not get it into our message.
        _server.AnswerToken(400, """
            {"error":"invalid_grant","error_description":"AADSTS9002313: Invalid request. The refresh token refresh-SECRET-new is malformed."}
            """);

        await Client.GetAccessTokenAsync(ConnectionId, forceRefresh: false, CancellationToken.None);
        var thrown = await Assert.ThrowsAsync<CalendarSourceException>(
            () => Client.GetAccessTokenAsync(ConnectionId, forceRefresh: true, CancellationToken.None));

        Assert.Equal(CalendarErrorKind.NeedsReconnect, thrown.Kind);
        Assert.Contains("[redacted]", thrown.Message, StringComparison.Ordinal);
        Assert.NotEmpty(_logs.Lines);
        var written = _logs.Lines.Append(thrown.ToString()).Append(Assert.Single(_secrets.NeedsReconnect).Reason);
        Assert.All(written, text => Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAccessTokenAsync_ThrowsForbiddenWithoutMarking_WhenTheAppRegistrationIsRefused()
    {
        _secrets.Hold(ConnectionId, "refresh-old");
        _server.AnswerToken(401, """{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}""");

        var thrown = await Assert.ThrowsAsync<CalendarSourceException>(
            () => Client.GetAccessTokenAsync(ConnectionId, forceRefresh: false, CancellationToken.None));

        // A broken app registration is not the leader's doing: no connection is marked.
        Assert.Equal(CalendarErrorKind.Forbidden, thrown.Kind);
        Assert.Contains("invalid_client", thrown.Message, StringComparison.Ordinal);
        Assert.Empty(_secrets.NeedsReconnect);
    }

    [Fact]
    public async Task ExchangeCodeAsync_ReturnsTheTokens_WhenTheCodeIsRedeemed()
    {
        _server.AnswerToken(200, MicrosoftTestHost.TokenAnswer("access-1", "refresh-1", expiresIn: 3600));

        var tokens = await Client.ExchangeCodeAsync("code-abc", "verifier-xyz", "https://etrap.example/connect/microsoft", CancellationToken.None);

        Assert.Equal("access-1", tokens.AccessToken);
        Assert.Equal("refresh-1", tokens.RefreshToken);
        Assert.Equal(_time.GetUtcNow().AddHours(1), tokens.ExpiresAt);
        var form = QueryHelpers.ParseQuery(Assert.Single(_server.TokenRequests).Body);
        Assert.Equal("authorization_code", form["grant_type"]);
        Assert.Equal("code-abc", form["code"]);
        Assert.Equal("verifier-xyz", form["code_verifier"]);
        Assert.Equal("https://etrap.example/connect/microsoft", form["redirect_uri"]);
        Assert.DoesNotContain("refresh-1", tokens.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void BuildAuthorizeUrl_AsksForACodeWithAnS256Challenge()
    {
        var challenge = Pkce.ChallengeFor("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

        var url = Client.BuildAuthorizeUrl("state-1", challenge, "https://etrap.example/connect/microsoft");

        Assert.Equal($"{_server.BaseUrl}/{MicrosoftTestHost.Tenant}/oauth2/v2.0/authorize", url.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(MicrosoftTestHost.ClientId, query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(challenge, query["code_challenge"]);
        Assert.Equal("state-1", query["state"]);
        Assert.Equal("https://etrap.example/connect/microsoft", query["redirect_uri"]);
        Assert.Equal("offline_access User.Read Calendars.Read", query["scope"]);
    }
}
