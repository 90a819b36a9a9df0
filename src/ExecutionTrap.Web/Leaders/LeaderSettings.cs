using System.ComponentModel.DataAnnotations;
using ExecutionTrap.Storage;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.Web.Leaders;

/// <summary>When and whether the weekly report comes.</summary>
public sealed class ReportSettings
{
    [Required(ErrorMessage = "Choose a time zone.")]
    [Display(Name = "Time zone")]
    public string TimeZone { get; set; } = "UTC";

    [Display(Name = "Day")]
    public IsoDayOfWeek ReportDay { get; set; } = IsoDayOfWeek.Monday;

    [Range(0, 23, ErrorMessage = "The hour is between 0 and 23.")]
    [Display(Name = "Hour")]
    public int ReportHour { get; set; } = 7;

    [Display(Name = "Send a short note in a week with nothing scored")]
    public bool SendQuietWeekNote { get; set; } = true;

    [Display(Name = "Pause the weekly report")]
    public bool Paused { get; set; }
}

internal sealed class LeaderSettings(ExecutionTrapDbContext db, IDateTimeZoneProvider zones)
{
    public IEnumerable<string> TimeZones => zones.Ids.Order(StringComparer.Ordinal);

    public async Task<ReportSettings> GetAsync(Guid leaderId, CancellationToken cancellationToken)
    {
        var leader = await db.Leaders.AsNoTracking().SingleAsync(l => l.Id == leaderId, cancellationToken);
        return new ReportSettings
        {
            TimeZone = leader.TimeZone,
            ReportDay = leader.ReportDay,
            ReportHour = leader.ReportHour,
            SendQuietWeekNote = leader.SendQuietWeekNote,
            Paused = !leader.ReportsEnabled,
        };
    }

    /// <summary>Saves the settings, or returns the problems (by field) that stopped it.</summary>
    public async Task<Dictionary<string, string[]>> SaveAsync(Guid leaderId, ReportSettings settings, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (zones.GetZoneOrNull(settings.TimeZone ?? "") is null)
        {
            errors[nameof(settings.TimeZone)] = [$"'{settings.TimeZone}' is not a known IANA time zone (for example Europe/London)."];
        }

        if (settings.ReportHour is < 0 or > 23)
        {
            errors[nameof(settings.ReportHour)] = ["The hour is between 0 and 23."];
        }

        if (settings.ReportDay is < IsoDayOfWeek.Monday or > IsoDayOfWeek.Sunday)
        {
            errors[nameof(settings.ReportDay)] = ["Choose a day of the week."];
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var leader = await db.Leaders.SingleAsync(l => l.Id == leaderId, cancellationToken);
        leader.TimeZone = settings.TimeZone!;
        leader.ReportDay = settings.ReportDay;
        leader.ReportHour = settings.ReportHour;
        leader.SendQuietWeekNote = settings.SendQuietWeekNote;
        leader.ReportsEnabled = !settings.Paused;
        await db.SaveChangesAsync(cancellationToken);
        return errors;
    }
}
