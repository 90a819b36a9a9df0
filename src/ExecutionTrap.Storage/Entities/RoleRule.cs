namespace ExecutionTrap.Storage.Entities;

/// <summary>Gives a role to leaders whose directory job title contains the text (Microsoft 365).</summary>
public sealed class RoleRule
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public required string JobTitleContains { get; set; }

    public Guid RoleId { get; set; }

    public RoleEntity? Role { get; set; }
}
