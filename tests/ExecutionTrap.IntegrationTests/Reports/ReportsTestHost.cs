using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Roles;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports;
using ExecutionTrap.Reports.Building;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Reports;

/// <summary>A host with only <c>AddReports()</c>, configured the way an operator would, and a report to send.</summary>
internal static class ReportsTestHost
{
    public const string Key = "integration-test-unsubscribe-key-0123456789";
    public const string HostileTitle = "<script>alert(1)</script> & co";

    private static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    public static IHost Build(string contentRoot, IDictionary<string, string?> settings, string environment = "Production")
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = environment,
            ContentRootPath = contentRoot,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddReports();
        return builder.Build();
    }

    public static WeeklyReport Report(Guid leaderId, IsoWeek week)
    {
        var meetings = new[]
        {
            Meeting(HostileTitle, Category.Execution, week, 0, 9, 120, attendees: 9, seriesId: "steering"),
            Meeting("Customer escalation: Acme", Category.Escalation, week, 1, 14, 60, attendees: 4),
            Meeting("Quarterly planning", Category.Strategy, week, 2, 10, 90, attendees: 6),
        };
        var history = Enumerable.Range(1, 7).Select(back =>
        {
            var earlier = week;
            for (var i = 0; i < back; i++)
            {
                earlier = earlier.Previous;
            }

            return ExecutionScore.ForWeek(
                [Meeting("Status", Category.Execution, earlier, 0, 9, 30 + 10 * back), Meeting("Roadmap", Category.Strategy, earlier, 1, 9, 60)],
                earlier,
                Zone);
        });

        return WeeklyReportBuilder.Build(
            new ReportLeader(leaderId, "Ana Lima", "Head of Platform", new RoleTarget(40)),
            ExecutionScore.ForWeek(meetings, week, Zone),
            history,
            forecast: null);
    }

    private static ClassifiedMeeting Meeting(string title, Category category, IsoWeek week, int day, int hour, int minutes, int attendees = 5, string? seriesId = null)
    {
        var start = week.Monday.PlusDays(day).At(new LocalTime(hour, 0)).InZoneLeniently(Zone).ToInstant();
        return new ClassifiedMeeting(
            new Meeting
            {
                Provider = CalendarProvider.Google,
                ProviderId = $"{title}-{week}-{day}",
                Title = title,
                Start = start,
                End = start.Plus(Duration.FromMinutes(minutes)),
                AttendeeCount = attendees,
                SeriesId = seriesId,
                IsRecurring = seriesId is not null,
            },
            new MeetingLabel { Category = category, Confidence = 0.9, DecidedBy = "test" });
    }
}
