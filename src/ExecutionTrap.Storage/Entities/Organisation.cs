namespace ExecutionTrap.Storage.Entities;

/// <summary>A company: derived from the Microsoft tenant or the Workspace domain; nobody sees another's data.</summary>
public sealed class Organisation
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The e-mail domain or tenant id that puts a leader in this organisation.</summary>
    public required string Domain { get; set; }

    public List<Leader> Leaders { get; set; } = [];

    public List<RoleEntity> Roles { get; set; } = [];
}
