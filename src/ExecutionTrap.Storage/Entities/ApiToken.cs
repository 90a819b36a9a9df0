using NodaTime;

namespace ExecutionTrap.Storage.Entities;

/// <summary>A personal API token for scripts; only the SHA-256 of the secret is kept.</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }

    public Guid LeaderId { get; set; }

    public required string Name { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole token as the user holds it.</summary>
    public required string Hash { get; set; }

    /// <summary>The first characters of the token, so a user can tell their tokens apart.</summary>
    public required string Prefix { get; set; }

    public Instant CreatedAt { get; set; }

    public Instant? LastUsedAt { get; set; }

    /// <summary>Whether the token may change things (any API call but GET); a read token only reads.</summary>
    public bool CanWrite { get; set; }

    /// <summary>After this instant the token is refused as if it were unknown.</summary>
    public Instant ExpiresAt { get; set; }
}
