using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace ExecutionTrap.Calendars.Microsoft;

/// <summary>
/// Caps Graph requests in flight per tenant, read from the access token's <c>tid</c> claim.
/// Graph throttles a tenant as a whole, so many leaders of one company syncing at once
/// must queue here rather than collect 429s. Tokens that are not JWTs share one bucket.
/// </summary>
internal sealed class TenantRequestLimiter(int maxConcurrencyPerTenant)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _tenants = new(StringComparer.Ordinal);

    public SemaphoreSlim For(string? bearerToken) =>
        _tenants.GetOrAdd(TenantOf(bearerToken), _ => new SemaphoreSlim(maxConcurrencyPerTenant, maxConcurrencyPerTenant));

    internal static string TenantOf(string? bearerToken)
    {
        var parts = bearerToken?.Split('.');
        if (parts is not { Length: 3 })
        {
            return string.Empty;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return claims.RootElement.ValueKind == JsonValueKind.Object
                && claims.RootElement.TryGetProperty("tid", out var tid)
                && tid.ValueKind == JsonValueKind.String
                    ? tid.GetString() ?? string.Empty
                    : string.Empty;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return string.Empty;
        }
    }
}

/// <summary>Waits for a tenant slot just before the wire, so retry back-offs do not hold one.</summary>
internal sealed class TenantConcurrencyHandler(TenantRequestLimiter limiter) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var slot = limiter.For(request.Headers.Authorization?.Parameter);
        await slot.WaitAsync(cancellationToken);
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            slot.Release();
        }
    }
}
