using System.Net.Mail;
using ExecutionTrap.Calendars.Ics;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Connections;
using ExecutionTrap.Web.Auth;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.Web.Onboarding;

/// <summary>Creates declared leaders (and their organisation, by the one organisation key) and their calendar connections.</summary>
internal sealed class LeaderOnboarding(
    ExecutionTrapDbContext db,
    Organisations organisations,
    IDateTimeZoneProvider zones,
    IcsFeedAddresses feedAddresses,
    FeedAddressProtector feedProtector,
    TimeProvider time)
{
    /// <summary>
    /// The declared leader, created if missing, in the organisation its Tenant or WorkspaceDomain names — the same
    /// key a signed-in colleague of that tenant gets — or, without either, a "local" organisation of its e-mail domain.
    /// </summary>
    public async Task<Leader> EnsureLeaderAsync(SeedLeader seed, CancellationToken cancellationToken)
    {
        var address = ParseEmail(seed.Email);
        var zone = string.IsNullOrWhiteSpace(seed.TimeZone) ? "UTC" : seed.TimeZone.Trim();
        if (zones.GetZoneOrNull(zone) is null)
        {
            throw new OnboardingException($"'{zone}' is not a known IANA time zone (for example Europe/London).");
        }

        var domain = address[(address.IndexOf('@', StringComparison.Ordinal) + 1)..];
        var (account, organisationKey, organisationName) = Keys(seed, address, domain);
        var leader = await db.Leaders.SingleOrDefaultAsync(l => l.IdentityIssuer == account.Issuer && l.IdentitySubject == account.Subject, cancellationToken);
        if (leader is not null)
        {
            return leader;
        }

        var organisation = await organisations.FindOrCreateAsync(organisationKey, organisationName, cancellationToken);
        leader = new Leader
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisation.Id,
            Email = address,
            IdentityIssuer = account.Issuer,
            IdentitySubject = account.Subject,
            DisplayName = string.IsNullOrWhiteSpace(seed.DisplayName) ? address[..address.IndexOf('@', StringComparison.Ordinal)] : seed.DisplayName.Trim(),
            TimeZone = zone,
            CreatedAt = Now(),
        };
        db.Leaders.Add(leader);
        await db.SaveChangesAsync(cancellationToken);
        return leader;
    }

    // With an ObjectId the declared leader is the very account their sign-in finds; without one, a local account.
    private static (AccountKey Account, string OrganisationKey, string OrganisationName) Keys(SeedLeader seed, string address, string domain)
    {
        var objectId = string.IsNullOrWhiteSpace(seed.ObjectId) ? null : seed.ObjectId;
        if (!string.IsNullOrWhiteSpace(seed.Tenant))
        {
            return (objectId is null ? AccountKey.Local(address) : AccountKey.Microsoft(seed.Tenant, objectId), OrganisationKeys.Microsoft(seed.Tenant), domain);
        }

        if (!string.IsNullOrWhiteSpace(seed.WorkspaceDomain))
        {
            return (objectId is null ? AccountKey.Local(address) : AccountKey.Google(seed.WorkspaceDomain, objectId), OrganisationKeys.Google(seed.WorkspaceDomain), seed.WorkspaceDomain.Trim().ToLowerInvariant());
        }

        return objectId is null
            ? (AccountKey.Local(address), OrganisationKeys.Local(domain), domain)
            : throw new OnboardingException($"Onboarding leader {address}: ObjectId needs the Tenant (Microsoft) or WorkspaceDomain (Google) it belongs to.");
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
