using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using NodaTime;

namespace ExecutionTrap.Storage.Entities;

public enum ConnectionStatus
{
    Active,
    Error,
    NeedsReconnect,
    Disconnected,
}

/// <summary>One calendar of one leader, and where its sync stands.</summary>
public sealed class CalendarConnection
{
    public Guid Id { get; set; }

    public Guid LeaderId { get; set; }

    public Leader? Leader { get; set; }

    public CalendarProvider Provider { get; set; }

    /// <summary>
    /// The provider's calendar id; for an ICS feed only its masked form (https://host/…) or a
    /// shipped sample ("sample:leader-month.ics"): the feed's URL is in <see cref="ProtectedAddress"/>.
    /// </summary>
    public required string Address { get; set; }

    /// <summary>An ICS feed's URL, encrypted with the data-protection key ring: its link is its password.</summary>
    public string? ProtectedAddress { get; set; }

    public string DisplayName { get; set; } = "";

    public ConnectionStatus Status { get; set; } = ConnectionStatus.Active;

    /// <summary>Where the next read resumes: a delta link, a page or sync token, a content hash.</summary>
    public string? Cursor { get; set; }

    /// <summary>Identifies the full read in progress, so events it did not list can be swept at its end.</summary>
    public Guid? FullReadId { get; set; }

    public Instant? LastSyncedAt { get; set; }

    public Instant? LastAttemptAt { get; set; }

    public string? LastError { get; set; }

    public CalendarErrorKind? LastErrorKind { get; set; }

    /// <summary>
    /// Events the provider listed that could not be stored and were skipped: counted afresh by each full read,
    /// added to by incremental rounds, so the leader can be told their calendar is incomplete.
    /// </summary>
    public int SkippedEvents { get; set; }

    /// <summary>The OAuth refresh token, encrypted with the data-protection key ring; never plain text.</summary>
    public string? ProtectedRefreshToken { get; set; }

    public Instant? ReconnectNoticeSentAt { get; set; }

    public Instant CreatedAt { get; set; }
}
