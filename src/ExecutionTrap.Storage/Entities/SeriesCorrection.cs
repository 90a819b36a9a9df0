using ExecutionTrap.Domain.Meetings;
using NodaTime;

namespace ExecutionTrap.Storage.Entities;

/// <summary>A leader's correction of a recurring series: every occurrence that arrives later gets it too.</summary>
public sealed class SeriesCorrection
{
    public long Id { get; set; }

    public Guid ConnectionId { get; set; }

    public required string SeriesId { get; set; }

    public Category Category { get; set; }

    public Instant CreatedAt { get; set; }
}
