using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports;
using ExecutionTrap.Reports.Building;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Web.Weeks;

/// <summary>Builds a leader's weekly report from their stored meetings: the one the job sends and the preview shows.</summary>
internal sealed class LeaderReports(LeaderWeeks weeks, IOptions<ReportsOptions> reports)
{
    /// <summary>Scores the week, the seven before it (the trend) and the one after it (the forecast) with one query.</summary>
    public async Task<WeeklyReport> BuildAsync(LeaderContext context, IsoWeek week, CancellationToken cancellationToken)
    {
        var (first, last) = WeeksOf(week);
        return Build(context, await weeks.ScoreAsync(context.Leader.Id, context.Zone, first, last, cancellationToken));
    }

    /// <summary>The report from weeks already scored (<see cref="WeeksOf"/>), as a batch of reports loads them.</summary>
    public WeeklyReport Build(LeaderContext context, IReadOnlyList<WeekScore> scores)
    {
        var leader = new ReportLeader(context.Leader.Id, context.Leader.DisplayName, context.RoleName, context.Target);
        return WeeklyReportBuilder.Build(leader, scores, reports.Value.UncertainBelow);
    }

    /// <summary>The weeks a report of <paramref name="week"/> scores: the trend's first week to the forecast week.</summary>
    public static (IsoWeek First, IsoWeek Last) WeeksOf(IsoWeek week) => (WeeklyReportBuilder.FirstTrendWeek(week), week.Next);
}
