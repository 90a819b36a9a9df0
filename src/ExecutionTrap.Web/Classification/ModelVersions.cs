using ExecutionTrap.Storage;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.Web.Classification;

/// <summary>One stored model version as an admin sees it (never its bytes).</summary>
internal sealed record ModelVersionSummary(int Version, bool IsActive, Instant CreatedAt, string MetricsJson);

/// <summary>An organisation's model versions: listing and rolling back to the one before.</summary>
internal sealed class ModelVersions(ExecutionTrapDbContext db)
{
    public async Task<IReadOnlyList<ModelVersionSummary>> ListAsync(Guid organisationId, CancellationToken cancellationToken)
    {
        var versions = await db.ModelVersions.AsNoTracking()
            .Where(v => v.OrganisationId == organisationId)
            .Select(v => new { v.Version, v.IsActive, v.CreatedAt, v.MetricsJson })
            .ToListAsync(cancellationToken);
        return [.. versions.OrderByDescending(v => v.Version).Select(v => new ModelVersionSummary(v.Version, v.IsActive, v.CreatedAt, v.MetricsJson))];
    }

    /// <summary>
    /// Deactivates the active version and activates the one before it; with none before, the
    /// built-in model decides again. Returns the version now active (0: the built-in model), or
    /// null when the organisation already uses the built-in model.
    /// </summary>
    public async Task<int?> RollBackAsync(Guid organisationId, CancellationToken cancellationToken)
    {
        var versions = await db.ModelVersions.Where(v => v.OrganisationId == organisationId).OrderByDescending(v => v.Version).ToListAsync(cancellationToken);
        var active = versions.FirstOrDefault(v => v.IsActive);
        if (active is null)
        {
            return null;
        }

        active.IsActive = false;
        var previous = versions.FirstOrDefault(v => v.Version < active.Version);
        if (previous is not null)
        {
            previous.IsActive = true;
        }

        await db.SaveChangesAsync(cancellationToken);
        return previous?.Version ?? 0;
    }
}
