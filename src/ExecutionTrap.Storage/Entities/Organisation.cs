namespace ExecutionTrap.Storage.Entities;

/// <summary>A company: derived from the Microsoft tenant or the Workspace domain; nobody sees another's data.</summary>
public sealed class Organisation
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>
    /// The organisation key (one rule, OrganisationKeys in the web host): "microsoft:{tenant id}",
    /// "google:{Workspace domain}", or "local:{e-mail domain}" for leaders declared in configuration without a tenant.
    /// </summary>
    public required string Domain { get; set; }

    public List<Leader> Leaders { get; set; } = [];

    public List<RoleEntity> Roles { get; set; } = [];
}
