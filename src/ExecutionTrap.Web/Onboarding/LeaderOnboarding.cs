using System.Net.Mail;
using ExecutionTrap.Calendars.Ics;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Connections;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace ExecutionTrap.Web.Onboarding;

/// <summary>Creates leaders (and their organisation, by e-mail domain) and their calendar connections.</summary>
internal sealed class LeaderOnboarding(
    ExecutionTrapDbContext db,
    IDateTimeZoneProvider zones,
    IOptions<OnboardingOptions> options,
    IcsFeedAddresses feedAddresses,
    FeedAddressProtector feedProtector,
    TimeProvider time)
{
    public async Task<Leader> EnsureLeaderAsync(string email, string? displayName, string? timeZone, CancellationToken cancellationToken)
    {
        var address = ParseEmail(email);
        var zone = string.IsNullOrWhiteSpace(timeZone) ? "UTC" : timeZone.Trim();
        if (zones.GetZoneOrNull(zone) is null)
        {
            throw new OnboardingException($"'{zone}' is not a known IANA time zone (for example Europe/London).");
        }

        var leader = await db.Leaders.SingleOrDefaultAsync(l => l.Email == address, cancellationToken);
        if (leader is not null)
        {
            return leader;
        }

        var domain = address[(address.IndexOf('@', StringComparison.Ordinal) + 1)..];
        var organisation = await db.Organisations.Include(o => o.Roles).SingleOrDefaultAsync(o => o.Domain == domain, cancellationToken);
        if (organisation is null)
        {
            organisation = new Organisation { Id = Guid.NewGuid(), Name = domain, Domain = domain };
            organisation.Roles.Add(new RoleEntity
            {
                Id = Guid.NewGuid(),
                Name = options.Value.DefaultRoleName,
                TargetExecutionScore = options.Value.DefaultRoleTarget,
                IsDefault = true,
            });
            db.Organisations.Add(organisation);
        }

        leader = new Leader
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisation.Id,
            Email = address,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? address[..address.IndexOf('@', StringComparison.Ordinal)] : displayName.Trim(),
            TimeZone = zone,
            CreatedAt = Now(),
        };
        db.Leaders.Add(leader);
        await db.SaveChangesAsync(cancellationToken);
        return leader;
    }

    /// <summary>
    /// Connects a published calendar by its https URL: checked (scheme, length, network) before
    /// it is stored, stored encrypted, shown masked. Files on the server are never accepted, and
    /// the refusal is the same whether or not such a file exists.
    /// </summary>
    /// <exception cref="OnboardingException">The address is refused; the message says why, plainly.</exception>
    public async Task<CalendarConnection> AddIcsCalendarAsync(Leader leader, string address, CancellationToken cancellationToken)
    {
        var trimmed = address.Trim();
        if (trimmed.Length == 0)
        {
            throw new OnboardingException("Give the calendar's https address (its published ICS link).");
        }

        var (refusal, uri) = await feedAddresses.CheckNewAsync(trimmed, cancellationToken);
        if (refusal is not null || uri is null)
        {
            throw new OnboardingException(refusal ?? IcsFeedAddresses.NotHttps);
        }

        // The stored URLs are encrypted with a random nonce, so the same feed is found by decrypting the leader's few.
        var feeds = await db.Connections
            .Where(c => c.LeaderId == leader.Id && c.Provider == CalendarProvider.Ics && c.ProtectedAddress != null)
            .ToListAsync(cancellationToken);
        var existing = feeds.FirstOrDefault(c => feedProtector.Unprotect(c.ProtectedAddress!) == trimmed);
        if (existing is not null)
        {
            return existing;
        }

        var connection = new CalendarConnection
        {
            Id = Guid.NewGuid(),
            LeaderId = leader.Id,
            Provider = CalendarProvider.Ics,
            Address = IcsFeedAddresses.Redact(trimmed),
            ProtectedAddress = feedProtector.Protect(trimmed),
            DisplayName = uri.IdnHost,
            CreatedAt = Now(),
        };
        db.Connections.Add(connection);
        await db.SaveChangesAsync(cancellationToken);
        return connection;
    }

    /// <summary>Connects a calendar shipped with the service (samples/&lt;name&gt;), read from its own folder by name.</summary>
    public async Task<CalendarConnection> AddSampleCalendarAsync(Leader leader, string fileName, CancellationToken cancellationToken)
    {
        var address = IcsFeedAddresses.SamplePrefix + fileName;
        var existing = await db.Connections.SingleOrDefaultAsync(
            c => c.LeaderId == leader.Id && c.Provider == CalendarProvider.Ics && c.Address == address, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var connection = new CalendarConnection
        {
            Id = Guid.NewGuid(),
            LeaderId = leader.Id,
            Provider = CalendarProvider.Ics,
            Address = address,
            DisplayName = fileName,
            CreatedAt = Now(),
        };
        db.Connections.Add(connection);
        await db.SaveChangesAsync(cancellationToken);
        return connection;
    }

    private static string ParseEmail(string email)
    {
        try
        {
            var parsed = new MailAddress(email.Trim());
            return parsed.Address.ToLowerInvariant();
        }
        catch (FormatException)
        {
            throw new OnboardingException($"'{email}' is not an e-mail address.");
        }
    }

    private Instant Now() => Instant.FromDateTimeOffset(time.GetUtcNow());
}

internal sealed class OnboardingException : Exception
{
    public OnboardingException(string message)
        : base(message)
    {
    }

    public OnboardingException()
    {
    }

    public OnboardingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
