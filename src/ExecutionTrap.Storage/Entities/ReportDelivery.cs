using NodaTime;

namespace ExecutionTrap.Storage.Entities;

public enum DeliveryStatus
{
    /// <summary>A worker is building the report; nothing has reached the mail server.</summary>
    Claimed,

    /// <summary>Handed to the mail server; never resent automatically.</summary>
    Sending,
    Sent,
    Skipped,
}

/// <summary>One leader's report for one week: the unique (leader, week) row makes sending at most once.</summary>
public sealed class ReportDelivery
{
    public long Id { get; set; }

    public Guid LeaderId { get; set; }

    /// <summary>The ISO week, "2026-W47".</summary>
    public required string Week { get; set; }

    public DeliveryStatus Status { get; set; }

    public required string ClaimedBy { get; set; }

    public Instant ClaimedAt { get; set; }

    public Instant? SentAt { get; set; }

    public string? MessageId { get; set; }

    public int Attempts { get; set; }
}
