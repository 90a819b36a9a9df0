using NodaTime;

namespace ExecutionTrap.Storage.Entities;

/// <summary>One trained meeting model of an organisation; at most one version per organisation is active.</summary>
public sealed class ModelVersion
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary>1, 2, 3… within the organisation.</summary>
    public int Version { get; set; }

    /// <summary>The model file, as <c>etrap model train</c> writes it.</summary>
    public required byte[] Bytes { get; set; }

    /// <summary>The comparison that admitted it (or turned it down), as JSON.</summary>
    public string MetricsJson { get; set; } = "{}";

    public Instant CreatedAt { get; set; }

    public bool IsActive { get; set; }
}
