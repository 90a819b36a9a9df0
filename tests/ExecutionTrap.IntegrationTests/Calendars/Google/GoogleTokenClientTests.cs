using System.Text;
using ExecutionTrap.Domain.Calendars;
using Microsoft.AspNetCore.WebUtilities;

namespace ExecutionTrap.IntegrationTests.Calendars.Google;

public sealed class GoogleTokenClientTests : IAsyncLifetime
{
    private const string RefreshToken = "1//stored-refresh-token";

    private readonly Guid _connectionId = Guid.NewGuid();
    private readonly FakeConnectionSecrets _secrets = new();
    private GoogleReplayServer _server = null!;
    private GoogleConnectorHost _host = null!;

    public async Task InitializeAsync()
    {
        _server = await GoogleReplayServer.StartAsync();
        _host = new GoogleConnectorHost(_server, _secrets);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ExchangeCodeAsync_SendsCodeVerifierAndSavesRefreshToken_WhenGoogleGrantsAccess()
    {
        // The server plays Google's PKCE check: no verifier, no tokens.
        _server.Token(request => request.Form.GetValueOrDefault("code_verifier") == "the-code-verifier"
            ? GoogleReplayServer.AccessToken("at-1", "1//new-refresh-token", IdToken("leader@example.com"))
            : ReplayResponse.Json("""{"error":"invalid_grant","error_description":"Missing code verifier."}""", 400));

        var result = await _host.Tokens.ExchangeCodeAsync(
            _connectionId, "the-code", "the-code-verifier", "https://app.test/connect/google/callback", CancellationToken.None);

        Assert.Equal("leader@example.com", result.Email);
        Assert.True(result.RefreshTokenSaved);
        Assert.Equal("1//new-refresh-token", _secrets.Current(_connectionId));
        var sent = Assert.Single(_server.TokenRequests);
        Assert.Equal("authorization_code", sent.Form["grant_type"]);
        Assert.Equal("the-code", sent.Form["code"]);
        Assert.Equal("https://app.test/connect/google/callback", sent.Form["redirect_uri"]);
        Assert.Equal(GoogleConnectorHost.ClientId, sent.Form["client_id"]);
    }

    [Fact]
    public async Task ExchangeCodeAsync_ThrowsNeedsReconnect_WhenGoogleGivesNoRefreshTokenAndNoneIsHeld()
    {
        _server.Token(GoogleReplayServer.AccessToken("at-1"));

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => _host.Tokens.ExchangeCodeAsync(
            _connectionId, "the-code", "the-code-verifier", "https://app.test/cb", CancellationToken.None));

        Assert.Equal(CalendarErrorKind.NeedsReconnect, error.Kind);
        Assert.Empty(_secrets.Saved);
    }

    [Fact]
    public async Task RefreshAccessTokenAsync_SavesRotatedRefreshToken_WhenGoogleRotatesIt()
    {
        _secrets.With(_connectionId, RefreshToken);
        _server.Token(GoogleReplayServer.AccessToken("at-1", "1//rotated-refresh-token"));

        var token = await _host.Tokens.RefreshAccessTokenAsync(_connectionId, CancellationToken.None);

        Assert.Equal("at-1", token.Value);
        Assert.Equal([(_connectionId, "1//rotated-refresh-token")], _secrets.Saved);
        Assert.Equal(RefreshToken, Assert.Single(_server.TokenRequests).Form["refresh_token"]);
    }

    [Fact]
    public async Task RefreshAccessTokenAsync_SavesNothing_WhenGoogleKeepsTheRefreshToken()
    {
        _secrets.With(_connectionId, RefreshToken);
        _server.Token(GoogleReplayServer.AccessToken("at-1"));

        await _host.Tokens.RefreshAccessTokenAsync(_connectionId, CancellationToken.None);

        Assert.Empty(_secrets.Saved);
        Assert.Equal(RefreshToken, _secrets.Current(_connectionId));
    }

    [Theory]
    [InlineData("google-oauth-error-400-invalid-grant.json")]
    [InlineData("google-oauth-error-400-invalid-grant-revoked.json")]
    public async Task RefreshAccessTokenAsync_MarksNeedsReconnectOnceAndHidesTheToken_WhenGrantIsInvalid(string fixture)
    {
        _secrets.With(_connectionId, RefreshToken);
        _server.Token(ReplayResponse.Fixture(fixture, 400));

        var error = await Assert.ThrowsAsync<CalendarSourceException>(
            () => _host.Tokens.RefreshAccessTokenAsync(_connectionId, CancellationToken.None));

        Assert.Equal(CalendarErrorKind.NeedsReconnect, error.Kind);
        Assert.Contains("invalid_grant", error.Message, StringComparison.Ordinal);
        var mark = Assert.Single(_secrets.MarkedNeedsReconnect);
        Assert.Equal(_connectionId, mark.ConnectionId);
        Assert.DoesNotContain(RefreshToken, mark.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(RefreshToken, error.ToString(), StringComparison.Ordinal);
        Assert.Single(_server.TokenRequests);
    }

    [Fact]
    public async Task RefreshAccessTokenAsync_ThrowsNeedsReconnect_WhenNoRefreshTokenIsHeld()
    {
        var error = await Assert.ThrowsAsync<CalendarSourceException>(
            () => _host.Tokens.RefreshAccessTokenAsync(_connectionId, CancellationToken.None));

        Assert.Equal(CalendarErrorKind.NeedsReconnect, error.Kind);
        Assert.Single(_secrets.MarkedNeedsReconnect);
        Assert.Empty(_server.TokenRequests);
    }

    [Fact]
    public void BuildAuthorizeUrl_AsksForOfflineAccessWithConsentAndPkce_WhenNoRefreshTokenIsHeld()
    {
        var url = new Uri(_host.Tokens.BuildAuthorizeUrl("the-state", "the-challenge", "https://app.test/cb", refreshTokenHeld: false));

        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(_server.BaseUrl + "/authorize", url.GetLeftPart(UriPartial.Path));
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(GoogleConnectorHost.ClientId, query["client_id"]);
        Assert.Equal("https://app.test/cb", query["redirect_uri"]);
        Assert.Equal("openid email https://www.googleapis.com/auth/calendar.events.readonly", query["scope"]);
        Assert.Equal("the-state", query["state"]);
        Assert.Equal("offline", query["access_type"]);
        Assert.Equal("consent", query["prompt"]);
        Assert.Equal("the-challenge", query["code_challenge"]);
        Assert.Equal("S256", query["code_challenge_method"]);
    }

    [Fact]
    public void BuildAuthorizeUrl_LeavesPromptOut_WhenRefreshTokenIsHeld()
    {
        var url = new Uri(_host.Tokens.BuildAuthorizeUrl("the-state", "the-challenge", "https://app.test/cb", refreshTokenHeld: true));

        Assert.False(QueryHelpers.ParseQuery(url.Query).ContainsKey("prompt"));
    }

    private static string IdToken(string email)
    {
        static string Encode(string json) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        return $"{Encode("""{"alg":"RS256","typ":"JWT"}""")}.{Encode($$"""{"iss":"https://accounts.google.com","email":"{{email}}","email_verified":true}""")}.signature";
    }
}
