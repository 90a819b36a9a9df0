using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Roles;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports;
using ExecutionTrap.Reports.Building;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace ExecutionTrap.UnitTests.Reports;

/// <summary>Meetings and weeks for report tests, scored by the real scorer.</summary>
internal static class ReportSamples
{
    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Europe/London"];

    public static readonly IsoWeek Week47 = new(2026, 47);

    public static readonly Guid LeaderId = Guid.Parse("6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f");

    public static ReportLeader Leader(double target = 40, string name = "Ana Lima") =>
        new(LeaderId, name, "Head of Platform", new RoleTarget(target));

    public static ClassifiedMeeting Meeting(
        string title,
        Category category,
        IsoDayOfWeek day,
        int startHour,
        int minutes,
        int attendees = 5,
        string? seriesId = null,
        bool recurring = false,
        bool organizer = false,
        double confidence = 0.9,
        IsoWeek? week = null)
    {
        var date = (week ?? Week47).Monday.PlusDays((int)day - 1);
        var start = date.At(new LocalTime(startHour, 0)).InZoneLeniently(Zone).ToInstant();
        var meeting = new Meeting
        {
            Provider = CalendarProvider.Ics,
            ProviderId = $"{title}-{date}-{startHour}",
            Title = title,
            Start = start,
            End = start.Plus(Duration.FromMinutes(minutes)),
            AttendeeCount = attendees,
            SeriesId = seriesId,
            IsRecurring = recurring || seriesId is not null,
            IsOrganizer = organizer,
        };
        var label = new MeetingLabel { Category = category, Confidence = confidence, DecidedBy = "test" };
        return new ClassifiedMeeting(meeting, label);
    }

    public static WeekScore Score(IsoWeek week, params ClassifiedMeeting[] meetings) =>
        ExecutionScore.ForWeek(meetings, week, Zone);

    public static WeekScore Score(params ClassifiedMeeting[] meetings) => Score(Week47, meetings);

    /// <summary>310 execution-side minutes out of 500: a score of exactly 62.</summary>
    public static WeekScore Score62(string steeringTitle = "Platform steering committee") => Score(
        Meeting(steeringTitle, Category.Execution, IsoDayOfWeek.Monday, 9, 240, attendees: 9, seriesId: "steering"),
        Meeting("Escalation: vendor contract", Category.Escalation, IsoDayOfWeek.Tuesday, 9, 70, attendees: 3),
        Meeting("Strategy offsite prep", Category.Strategy, IsoDayOfWeek.Wednesday, 9, 130),
        Meeting("Ana / Ben", Category.PeopleDevelopment, IsoDayOfWeek.Thursday, 9, 60, attendees: 2, seriesId: "one-to-one"));

    public static WeeklyReport Report(WeekScore? week = null, double target = 40, string leaderName = "Ana Lima", WeekScore? forecast = null) =>
        WeeklyReportBuilder.Build(Leader(target, leaderName), week ?? Score62(), [], forecast);

    public static ReportsOptions Options() => new() { UnsubscribeKey = TestKey };

    public const string TestKey = "unit-test-unsubscribe-key-0123456789abcdef";

    public static ExecutionTrap.Reports.Rendering.WeeklyReportRenderer Renderer() =>
        new(Microsoft.Extensions.Options.Options.Create(Options()), NullLogger<ExecutionTrap.Reports.Rendering.WeeklyReportRenderer>.Instance);
}
