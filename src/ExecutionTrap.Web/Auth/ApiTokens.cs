using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace ExecutionTrap.Web.Auth;

/// <summary>A token as shown to its owner once, right after it was made.</summary>
public sealed record CreatedApiToken(Guid Id, string Name, string Token, string Scope, DateTimeOffset ExpiresAt);

public sealed record ApiTokenView(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, string Scope, DateTimeOffset ExpiresAt);

/// <summary>Who a valid token acts for, and whether it may change things.</summary>
internal sealed record ApiTokenHolder(Guid LeaderId, bool CanWrite);

/// <summary>
/// Personal API tokens: 32 random bytes, shown once, kept only as their SHA-256. Each is read-only
/// unless made for writing, and expires (<see cref="ApiTokenOptions.LifetimeDays"/>), so a token
/// forgotten in a script or a log does not open the account for ever.
/// </summary>
internal sealed class ApiTokens(ExecutionTrapDbContext db, TimeProvider time, IOptions<ApiTokenOptions> options)
{
    public const string TokenPrefix = "etk_";

    public async Task<CreatedApiToken> CreateAsync(Guid leaderId, string name, string? scope, CancellationToken cancellationToken)
    {
        var trimmed = string.IsNullOrWhiteSpace(name) ? "script" : name.Trim();
        if (trimmed.Length > 100)
        {
            throw new ArgumentException("A token name is at most 100 characters.");
        }

        var canWrite = (scope ?? AuthSchemes.ReadScope).Trim().ToLowerInvariant() switch
        {
            AuthSchemes.ReadScope => false,
            AuthSchemes.WriteScope => true,
            _ => throw new ArgumentException($"A token's scope is \"{AuthSchemes.ReadScope}\" or \"{AuthSchemes.WriteScope}\"."),
        };
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        var token = TokenPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var entity = new ApiToken
        {
            Id = Guid.NewGuid(),
            LeaderId = leaderId,
            Name = trimmed,
            Hash = HashOf(token),
            Prefix = token[..10],
            CreatedAt = now,
            CanWrite = canWrite,
            ExpiresAt = now + Duration.FromDays(options.Value.LifetimeDays),
        };
        db.ApiTokens.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiToken(entity.Id, entity.Name, token, ScopeOf(entity), entity.ExpiresAt.ToDateTimeOffset());
    }

    public async Task<IReadOnlyList<ApiTokenView>> ListAsync(Guid leaderId, CancellationToken cancellationToken)
    {
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.LeaderId == leaderId).ToListAsync(cancellationToken);
        return [.. tokens.OrderBy(t => t.CreatedAt).Select(t => new ApiTokenView(
            t.Id, t.Name, t.Prefix, t.CreatedAt.ToDateTimeOffset(), t.LastUsedAt?.ToDateTimeOffset(), ScopeOf(t), t.ExpiresAt.ToDateTimeOffset()))];
    }

    public async Task<bool> RevokeAsync(Guid leaderId, Guid tokenId, CancellationToken cancellationToken) =>
        await db.ApiTokens.Where(t => t.Id == tokenId && t.LeaderId == leaderId).ExecuteDeleteAsync(cancellationToken) == 1;

    /// <summary>Who the token acts for, or null for an unknown, revoked or expired token.</summary>
    public async Task<ApiTokenHolder?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = HashOf(token);
        var found = await db.ApiTokens.SingleOrDefaultAsync(t => t.Hash == hash, cancellationToken);
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        if (found is null || found.ExpiresAt <= now)
        {
            return null;
        }

        found.LastUsedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return new ApiTokenHolder(found.LeaderId, found.CanWrite);
    }

    internal static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string ScopeOf(ApiToken token) => token.CanWrite ? AuthSchemes.WriteScope : AuthSchemes.ReadScope;
}
