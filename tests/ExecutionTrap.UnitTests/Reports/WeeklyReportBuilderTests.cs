using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Roles;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports.Building;
using NodaTime;
using static ExecutionTrap.UnitTests.Reports.ReportSamples;

namespace ExecutionTrap.UnitTests.Reports;

public class WeeklyReportBuilderTests
{
    [Fact]
    public void Build_RollsUpOccurrences_WhenTheyShareASeriesId()
    {
        var days = new[] { IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday };
        var week = Score(days.Select(d => Meeting("Daily standup", Category.Execution, d, 9, 15, attendees: 8, seriesId: "standup")).ToArray());

        var report = WeeklyReportBuilder.Build(Leader(), week, [], null);

        var standup = Assert.Single(report.TopMeetings);
        Assert.Equal(75, standup.Minutes);
        Assert.Equal(5, standup.Occurrences);
        Assert.Equal(Cadence.Daily, standup.Cadence);
        Assert.Equal(8, standup.Attendees);
    }

    [Fact]
    public void Build_RollsUpByTitle_WhenNoSeriesIdIsGiven()
    {
        // Separate invitations with the same title are one meeting to the leader, whatever the spacing or case.
        var week = Score(
            Meeting("Vendor sync", Category.Execution, IsoDayOfWeek.Monday, 10, 30),
            Meeting("  VENDOR SYNC ", Category.Execution, IsoDayOfWeek.Thursday, 10, 30));

        var report = WeeklyReportBuilder.Build(Leader(), week, [], null);

        var sync = Assert.Single(report.TopMeetings);
        Assert.Equal(60, sync.Minutes);
        Assert.Equal(Cadence.SeveralTimesAWeek, sync.Cadence);
    }

    [Fact]
    public void Build_KeepsTheFiveCostliestExecutionSideMeetings_WhenThereAreMore()
    {
        var meetings = Enumerable.Range(1, 7)
            .Select(i => Meeting($"Project {i} sync", Category.Execution, IsoDayOfWeek.Monday + (i % 5), 8 + i, 10 * i))
            .Append(Meeting("Roadmap", Category.Strategy, IsoDayOfWeek.Friday, 14, 180))
            .ToArray();

        var report = WeeklyReportBuilder.Build(Leader(), Score(meetings), [], null);

        Assert.Equal(["Project 7 sync", "Project 6 sync", "Project 5 sync", "Project 4 sync", "Project 3 sync"], report.TopMeetings.Select(m => m.Title));
    }

    [Fact]
    public void Build_ListsDelegationCandidates_WithHoursPerYear()
    {
        var week = Score(
            Meeting("Platform steering committee", Category.Execution, IsoDayOfWeek.Monday, 9, 60, attendees: 9, seriesId: "steering"),
            Meeting("Team planning I run", Category.Execution, IsoDayOfWeek.Tuesday, 9, 90, attendees: 9, seriesId: "mine", organizer: true),
            Meeting("Small sync", Category.Execution, IsoDayOfWeek.Wednesday, 9, 45, attendees: 3, seriesId: "small"),
            Meeting("One-off review", Category.Execution, IsoDayOfWeek.Thursday, 9, 120, attendees: 6),
            Meeting("Incident review board", Category.Firefighting, IsoDayOfWeek.Friday, 9, 60, attendees: 6, seriesId: "irb"));

        var report = WeeklyReportBuilder.Build(Leader(), week, [], null);

        var candidate = Assert.Single(report.DelegationCandidates);
        Assert.Equal("Platform steering committee", candidate.Title);
        Assert.Equal(52.0, candidate.HoursPerYear, 6);
        Assert.Equal(9, candidate.Attendees);
    }

    [Fact]
    public void HoursPerYear_IsWeeklyMinutesTimes52Over60()
    {
        var hours = WeeklyReportBuilder.HoursPerYear(45);

        Assert.Equal(39.0, hours, 6);
    }

    [Theory]
    [InlineData(Category.Escalation, false, ReflectionQuestions.Escalation)]
    [InlineData(Category.Firefighting, false, ReflectionQuestions.Firefighting)]
    [InlineData(Category.Execution, true, ReflectionQuestions.RecurringExecution)]
    [InlineData(Category.Execution, false, ReflectionQuestions.OneOffExecution)]
    public void Build_AsksTheQuestionOfTheCategory(Category category, bool recurring, string question)
    {
        var week = Score(Meeting("Something", category, IsoDayOfWeek.Monday, 9, 60, seriesId: recurring ? "s" : null));

        var report = WeeklyReportBuilder.Build(Leader(), week, [], null);

        Assert.Equal(question, Assert.Single(report.TopMeetings).Question);
    }

    [Fact]
    public void Build_IsQuiet_WhenNothingWasScored()
    {
        var report = WeeklyReportBuilder.Build(Leader(), Score(), [], null);

        Assert.True(report.IsQuiet);
        Assert.Null(report.Verdict);
        Assert.Empty(report.TopMeetings);
        Assert.All(report.MinutesByCategory.Values, minutes => Assert.Equal(0, minutes));
    }

    [Fact]
    public void Build_JudgesTheWeekAgainstTheTarget()
    {
        var report = WeeklyReportBuilder.Build(Leader(target: 40), Score62(), [], null);

        Assert.Equal(62, report.Score.Score);
        Assert.Equal(Verdict.Trapped, report.Verdict);
        Assert.Equal(240, report.MinutesByCategory[Category.Execution]);
        Assert.Equal(130, report.MinutesByCategory[Category.Strategy]);
    }

    [Fact]
    public void Build_FillsSevenPreviousWeeks_WithNullWhereHistoryIsMissing()
    {
        var week45 = Score(new IsoWeek(2026, 45), Meeting("Sync", Category.Execution, IsoDayOfWeek.Monday, 9, 60, week: new IsoWeek(2026, 45)));
        var week38 = Score(new IsoWeek(2026, 38), Meeting("Sync", Category.Execution, IsoDayOfWeek.Monday, 9, 60, week: new IsoWeek(2026, 38)));

        var report = WeeklyReportBuilder.Build(Leader(), Score62(), [week45, week38], null);

        Assert.Equal(Enumerable.Range(40, 7).Select(w => new IsoWeek(2026, w)), report.PreviousWeeks.Select(p => p.Week));
        Assert.Equal([null, null, null, null, null, 100.0, null], report.PreviousWeeks.Select(p => p.Score));
        Assert.Equal(8, report.Trend.Count);
        Assert.Equal(62, report.Trend[^1].Score);
    }

    [Fact]
    public void Build_CallsASeriesWeekly_WhenItWasAlsoThereLastWeek()
    {
        var lastWeek = new IsoWeek(2026, 46);
        var history = Score(lastWeek, Meeting("Platform steering committee", Category.Execution, IsoDayOfWeek.Monday, 9, 240, seriesId: "steering", week: lastWeek));

        var report = WeeklyReportBuilder.Build(Leader(), Score62(), [history], null);

        Assert.Equal(Cadence.Weekly, report.TopMeetings[0].Cadence);
    }

    [Fact]
    public void Build_CountsUncertainMeetings_BelowTheThreshold()
    {
        var week = Score(
            Meeting("Catch up", Category.Execution, IsoDayOfWeek.Monday, 9, 30, confidence: 0.31),
            Meeting("Roadmap", Category.Strategy, IsoDayOfWeek.Tuesday, 9, 60, confidence: 0.5),
            Meeting("Status", Category.Execution, IsoDayOfWeek.Wednesday, 9, 60, confidence: 0.97));

        var report = WeeklyReportBuilder.Build(Leader(), week, [], null, uncertainBelow: 0.5);

        Assert.Equal(1, report.UncertainMeetings);
        Assert.True(report.HasUncertainMeetings);
    }

    [Fact]
    public void Build_KeepsTheForecast_WhenNextWeekIsKnown()
    {
        var next = new IsoWeek(2026, 48);
        var forecast = Score(next, Meeting("Sync", Category.Execution, IsoDayOfWeek.Monday, 9, 60, week: next), Meeting("OKRs", Category.Strategy, IsoDayOfWeek.Monday, 11, 60, week: next));

        var report = WeeklyReportBuilder.Build(Leader(), Score62(), [], forecast);

        Assert.Equal(50, report.ForecastScore);
    }

    [Fact]
    public void Build_GivesASeriesTheCategoryThatTookMostOfItsTime_WhenOccurrencesDiffer()
    {
        // A weekly ops review that turned into an incident call once is still mostly an execution meeting.
        var week = Score(
            Meeting("Ops review", Category.Execution, IsoDayOfWeek.Monday, 9, 60, seriesId: "ops"),
            Meeting("Ops review", Category.Firefighting, IsoDayOfWeek.Thursday, 9, 30, seriesId: "ops"));

        var report = WeeklyReportBuilder.Build(Leader(), week, [], null);

        var ops = Assert.Single(report.TopMeetings);
        Assert.Equal(Category.Execution, ops.Category);
        Assert.Equal(90, ops.Minutes);
    }
}
