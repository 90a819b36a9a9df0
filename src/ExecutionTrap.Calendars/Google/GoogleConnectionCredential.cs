using System.Net;
using System.Net.Http.Headers;
using Google.Apis.Http;

namespace ExecutionTrap.Calendars.Google;

/// <summary>
/// Authorizes one read of one connection: fetches an access token from the stored refresh token before the
/// first request and when it is about to expire, and answers a 401 by refreshing and retrying once.
/// One instance serves one read, whose pages are requested one after another.
/// </summary>
internal sealed class GoogleConnectionCredential(GoogleTokenClient tokens, Guid connectionId, TimeProvider time)
    : IConfigurableHttpClientInitializer, IHttpExecuteInterceptor, IHttpUnsuccessfulResponseHandler
{
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(1);

    private GoogleAccessToken? _token;
    private string? _issuedAfterRejection;

    public void Initialize(ConfigurableHttpClient httpClient)
    {
        httpClient.MessageHandler.AddExecuteInterceptor(this);
        httpClient.MessageHandler.AddUnsuccessfulResponseHandler(this);
    }

    public async Task InterceptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_token is null || _token.ExpiresAt - ExpiryMargin <= time.GetUtcNow())
        {
            _token = await tokens.GetAccessTokenAsync(connectionId, cancellationToken);
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token.Value);
    }

    public async Task<bool> HandleResponseAsync(HandleUnsuccessfulResponseArgs args)
    {
        var sent = args.Request.Headers.Authorization?.Parameter;
        if (args.Response.StatusCode != HttpStatusCode.Unauthorized || !args.SupportsRetry || sent is null)
        {
            return false;
        }

        // A token Google rejects right after issuing it will not get better by refreshing again.
        if (string.Equals(sent, _issuedAfterRejection, StringComparison.Ordinal))
        {
            return false;
        }

        if (string.Equals(sent, _token?.Value, StringComparison.Ordinal))
        {
            _token = await tokens.RefreshAccessTokenAsync(connectionId, args.CancellationToken);
            _issuedAfterRejection = _token.Value;
        }

        return true;
    }
}
