using System.Net.Mail;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace ExecutionTrap.Web.Onboarding;

/// <summary>Creates leaders (and their organisation, by e-mail domain) and their calendar connections.</summary>
internal sealed class LeaderOnboarding(ExecutionTrapDbContext db, IDateTimeZoneProvider zones, IOptions<OnboardingOptions> options, TimeProvider time)
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

    public async Task<CalendarConnection> AddIcsCalendarAsync(Leader leader, string address, CancellationToken cancellationToken)
    {
        var trimmed = address.Trim();
        if (!IsIcsAddress(trimmed))
        {
            throw new OnboardingException($"'{trimmed}' is neither an http(s) URL nor an existing .ics file.");
        }

        var existing = await db.Connections.SingleOrDefaultAsync(
            c => c.LeaderId == leader.Id && c.Provider == CalendarProvider.Ics && c.Address == trimmed, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var connection = new CalendarConnection
        {
            Id = Guid.NewGuid(),
            LeaderId = leader.Id,
            Provider = CalendarProvider.Ics,
            Address = trimmed,
            DisplayName = Path.GetFileName(trimmed),
            CreatedAt = Now(),
        };
        db.Connections.Add(connection);
        await db.SaveChangesAsync(cancellationToken);
        return connection;
    }

    private static bool IsIcsAddress(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        || File.Exists(address);

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
