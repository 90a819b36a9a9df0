using System.Globalization;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace ExecutionTrap.Web.Administration;

/// <summary>A role as the admin edits it: bounds are "slug:min-max" lines in percent of scored minutes.</summary>
public sealed record RoleInput(string? Name, double? Target, string? CategoryBounds);

public sealed record RoleView(Guid Id, string Name, double Target, string CategoryBounds, bool IsDefault, int Leaders);

public sealed record LeaderRoleView(Guid Id, string Email, string DisplayName, string? JobTitle, Guid? RoleId, string RoleName, bool IsAdmin);

public sealed record RoleRuleView(Guid Id, string JobTitleContains, Guid RoleId, string RoleName);

/// <summary>Problems that stopped a change, each naming what is wrong.</summary>
internal sealed class AdministrationException(string message) : Exception(message)
{
    public AdministrationException()
        : this("The change was refused.")
    {
    }

    public AdministrationException(string message, Exception innerException)
        : this(message + " " + innerException.Message)
    {
    }
}

/// <summary>Roles, their targets, and who holds which — always within the admin's own organisation.</summary>
internal sealed class RoleAdministration(ExecutionTrapDbContext db)
{
    public async Task<IReadOnlyList<RoleView>> ListRolesAsync(Guid organisationId, CancellationToken cancellationToken)
    {
        var roles = await db.Roles.AsNoTracking().Where(r => r.OrganisationId == organisationId).OrderBy(r => r.Name).ToListAsync(cancellationToken);
        var counts = await db.Leaders.AsNoTracking().Where(l => l.OrganisationId == organisationId)
            .GroupBy(l => l.RoleId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return [.. roles.Select(r => new RoleView(
            r.Id,
            r.Name,
            r.TargetExecutionScore,
            r.CategoryBounds,
            r.IsDefault,
            counts.Where(c => c.Key == r.Id || (r.IsDefault && c.Key == null)).Sum(c => c.Count)))];
    }

    public async Task<RoleView> CreateRoleAsync(Guid organisationId, RoleInput input, CancellationToken cancellationToken)
    {
        var (name, target, bounds) = Validate(input);
        await EnsureUniqueAsync(organisationId, name, null, cancellationToken);
        var role = new RoleEntity { Id = Guid.NewGuid(), OrganisationId = organisationId, Name = name, TargetExecutionScore = target, CategoryBounds = bounds };
        db.Roles.Add(role);
        await db.SaveChangesAsync(cancellationToken);
        return new RoleView(role.Id, role.Name, role.TargetExecutionScore, role.CategoryBounds, false, 0);
    }

    public async Task<bool> UpdateRoleAsync(Guid organisationId, Guid roleId, RoleInput input, CancellationToken cancellationToken)
    {
        var role = await db.Roles.SingleOrDefaultAsync(r => r.Id == roleId && r.OrganisationId == organisationId, cancellationToken);
        if (role is null)
        {
            return false;
        }

        var (name, target, bounds) = Validate(input);
        await EnsureUniqueAsync(organisationId, name, roleId, cancellationToken);
        role.Name = name;
        role.TargetExecutionScore = target;
        role.CategoryBounds = bounds;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<bool> DeleteRoleAsync(Guid organisationId, Guid roleId, CancellationToken cancellationToken)
    {
        var role = await db.Roles.SingleOrDefaultAsync(r => r.Id == roleId && r.OrganisationId == organisationId, cancellationToken);
        if (role is null)
        {
            return false;
        }

        if (role.IsDefault)
        {
            throw new AdministrationException($"'{role.Name}' is the default role; make another role the default before deleting it.");
        }

        // Its leaders fall back to the default role (the foreign key sets their role to null).
        await db.Leaders.Where(l => l.RoleId == roleId).ExecuteUpdateAsync(s => s.SetProperty(l => l.RoleId, (Guid?)null), cancellationToken);
        db.Roles.Remove(role);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<bool> MakeDefaultAsync(Guid organisationId, Guid roleId, CancellationToken cancellationToken)
    {
        var roles = await db.Roles.Where(r => r.OrganisationId == organisationId).ToListAsync(cancellationToken);
        if (roles.All(r => r.Id != roleId))
        {
            return false;
        }

        foreach (var role in roles)
        {
            role.IsDefault = role.Id == roleId;
        }

        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<LeaderRoleView>> ListLeadersAsync(Guid organisationId, CancellationToken cancellationToken)
    {
        var roles = await db.Roles.AsNoTracking().Where(r => r.OrganisationId == organisationId).ToListAsync(cancellationToken);
        var fallback = roles.FirstOrDefault(r => r.IsDefault)?.Name ?? "Leader";
        var leaders = await db.Leaders.AsNoTracking().Where(l => l.OrganisationId == organisationId).OrderBy(l => l.Email).ToListAsync(cancellationToken);
        return [.. leaders.Select(l => new LeaderRoleView(
            l.Id,
            l.Email,
            l.DisplayName,
            l.JobTitle,
            l.RoleId,
            roles.FirstOrDefault(r => r.Id == l.RoleId)?.Name ?? $"{fallback} (default)",
            l.IsAdmin))];
    }

    /// <summary>Assigns a role explicitly; null returns the leader to the default role.</summary>
    public async Task<bool> AssignRoleAsync(Guid organisationId, Guid leaderId, Guid? roleId, CancellationToken cancellationToken)
    {
        var leader = await db.Leaders.SingleOrDefaultAsync(l => l.Id == leaderId && l.OrganisationId == organisationId, cancellationToken);
        if (leader is null)
        {
            return false;
        }

        if (roleId is { } id && !await db.Roles.AnyAsync(r => r.Id == id && r.OrganisationId == organisationId, cancellationToken))
        {
            throw new AdministrationException("That role does not exist in your organisation.");
        }

        leader.RoleId = roleId;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<bool> SetAdminAsync(Guid organisationId, Guid actingLeaderId, Guid leaderId, bool isAdmin, CancellationToken cancellationToken)
    {
        var leader = await db.Leaders.SingleOrDefaultAsync(l => l.Id == leaderId && l.OrganisationId == organisationId, cancellationToken);
        if (leader is null)
        {
            return false;
        }

        if (!isAdmin && leaderId == actingLeaderId)
        {
            throw new AdministrationException("You cannot remove your own admin rights; ask another admin.");
        }

        leader.IsAdmin = isAdmin;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<RoleRuleView>> ListRulesAsync(Guid organisationId, CancellationToken cancellationToken)
    {
        var rules = await db.RoleRules.AsNoTracking().Include(r => r.Role).Where(r => r.OrganisationId == organisationId)
            .OrderBy(r => r.JobTitleContains).ToListAsync(cancellationToken);
        return [.. rules.Select(r => new RoleRuleView(r.Id, r.JobTitleContains, r.RoleId, r.Role?.Name ?? ""))];
    }

    public async Task<RoleRuleView> AddRuleAsync(Guid organisationId, string? jobTitleContains, Guid roleId, CancellationToken cancellationToken)
    {
        var text = jobTitleContains?.Trim() ?? "";
        if (text.Length is 0 or > 200)
        {
            throw new AdministrationException("A rule needs the words to look for in the job title (1 to 200 characters).");
        }

        var role = await db.Roles.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roleId && r.OrganisationId == organisationId, cancellationToken)
            ?? throw new AdministrationException("That role does not exist in your organisation.");
        var rule = new RoleRule { Id = Guid.NewGuid(), OrganisationId = organisationId, JobTitleContains = text, RoleId = roleId };
        db.RoleRules.Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        return new RoleRuleView(rule.Id, text, roleId, role.Name);
    }

    public async Task<bool> DeleteRuleAsync(Guid organisationId, Guid ruleId, CancellationToken cancellationToken) =>
        await db.RoleRules.Where(r => r.Id == ruleId && r.OrganisationId == organisationId).ExecuteDeleteAsync(cancellationToken) == 1;

    internal static (string Name, double Target, string Bounds) Validate(RoleInput input)
    {
        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            throw new AdministrationException("A role needs a name.");
        }

        if (name.Length > 100)
        {
            throw new AdministrationException("A role name is at most 100 characters.");
        }

        if (input.Target is not { } target || double.IsNaN(target) || target < 0 || target > 100)
        {
            throw new AdministrationException("The target execution score is a number from 0 to 100.");
        }

        return (name, target, NormaliseBounds(input.CategoryBounds));
    }

    private static string NormaliseBounds(string? text)
    {
        var lines = (text ?? "").Split(['\n', '\r', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var normalised = new List<string>();
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var dash = colon < 0 ? -1 : line.IndexOf('-', colon);
            if (colon < 0 || dash < 0 || !Labels.TryParseCategory(line[..colon], out var category)
                || !double.TryParse(line[(colon + 1)..dash], NumberStyles.Float, CultureInfo.InvariantCulture, out var min)
                || !double.TryParse(line[(dash + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var max))
            {
                throw new AdministrationException($"'{line}' is not a category bound; write it as category:min-max, for example strategy:20-40.");
            }

            if (min < 0 || max > 100 || min > max)
            {
                throw new AdministrationException($"'{line}': bounds are percentages with 0 ≤ min ≤ max ≤ 100.");
            }

            normalised.Add(string.Create(CultureInfo.InvariantCulture, $"{category.ToSlug()}:{min}-{max}"));
        }

        var joined = string.Join('\n', normalised);
        return joined.Length <= 500 ? joined : throw new AdministrationException("Too many category bounds.");
    }

    private async Task EnsureUniqueAsync(Guid organisationId, string name, Guid? except, CancellationToken cancellationToken)
    {
        var names = await db.Roles.AsNoTracking().Where(r => r.OrganisationId == organisationId && r.Id != except).Select(r => r.Name).ToListAsync(cancellationToken);
        if (names.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            throw new AdministrationException($"A role named '{name}' already exists.");
        }
    }
}
