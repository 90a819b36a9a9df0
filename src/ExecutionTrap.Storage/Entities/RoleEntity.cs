namespace ExecutionTrap.Storage.Entities;

/// <summary>A role and the highest execution score it should carry.</summary>
public sealed class RoleEntity
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public required string Name { get; set; }

    public double TargetExecutionScore { get; set; }

    /// <summary>The role of leaders who have none assigned.</summary>
    public bool IsDefault { get; set; }

    /// <summary>Optional per-category bounds in percent of scored minutes, one "slug:min-max" per line.</summary>
    public string CategoryBounds { get; set; } = "";
}
