using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.Web.Auth;

/// <summary>A token as shown to its owner once, right after it was made.</summary>
public sealed record CreatedApiToken(Guid Id, string Name, string Token);

public sealed record ApiTokenView(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>Personal API tokens: 32 random bytes, shown once, kept only as their SHA-256.</summary>
internal sealed class ApiTokens(ExecutionTrapDbContext db, TimeProvider time)
{
    public const string TokenPrefix = "etk_";

    public async Task<CreatedApiToken> CreateAsync(Guid leaderId, string name, CancellationToken cancellationToken)
    {
        var trimmed = string.IsNullOrWhiteSpace(name) ? "script" : name.Trim();
        if (trimmed.Length > 100)
        {
            throw new ArgumentException("A token name is at most 100 characters.");
        }

        var token = TokenPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var entity = new ApiToken
        {
            Id = Guid.NewGuid(),
            LeaderId = leaderId,
            Name = trimmed,
            Hash = HashOf(token),
            Prefix = token[..10],
            CreatedAt = Instant.FromDateTimeOffset(time.GetUtcNow()),
        };
        db.ApiTokens.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiToken(entity.Id, entity.Name, token);
    }

    public async Task<IReadOnlyList<ApiTokenView>> ListAsync(Guid leaderId, CancellationToken cancellationToken)
    {
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.LeaderId == leaderId).ToListAsync(cancellationToken);
        return [.. tokens.OrderBy(t => t.CreatedAt).Select(t => new ApiTokenView(t.Id, t.Name, t.Prefix, t.CreatedAt.ToDateTimeOffset(), t.LastUsedAt?.ToDateTimeOffset()))];
    }

    public async Task<bool> RevokeAsync(Guid leaderId, Guid tokenId, CancellationToken cancellationToken) =>
        await db.ApiTokens.Where(t => t.Id == tokenId && t.LeaderId == leaderId).ExecuteDeleteAsync(cancellationToken) == 1;

    /// <summary>The leader the token belongs to, or null for an unknown token.</summary>
    public async Task<Guid?> FindLeaderAsync(string token, CancellationToken cancellationToken)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = HashOf(token);
        var found = await db.ApiTokens.SingleOrDefaultAsync(t => t.Hash == hash, cancellationToken);
        if (found is null)
        {
            return null;
        }

        found.LastUsedAt = Instant.FromDateTimeOffset(time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return found.LeaderId;
    }

    internal static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
