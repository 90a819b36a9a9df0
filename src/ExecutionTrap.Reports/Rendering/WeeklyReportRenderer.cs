using System.Globalization;
using System.Net;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Roles;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports.Building;
using ExecutionTrap.Reports.Email;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Reports.Rendering;

/// <summary>Turns a <see cref="WeeklyReport"/> into a subject, a plain-text body, an HTML body and the trend chart.</summary>
internal sealed partial class WeeklyReportRenderer(IOptions<ReportsOptions> options, ILogger<WeeklyReportRenderer> logger)
{
    private const int MaxTitleLength = 120;

    public RenderedReport Render(WeeklyReport report)
    {
        var settings = options.Value;
        var baseUrl = settings.PublicBaseUrl.TrimEnd('/');
        var correctionsUrl = $"{baseUrl}/week/{report.Week}";
        var unsubscribeUrl = $"{baseUrl}/unsubscribe?token={Uri.EscapeDataString(UnsubscribeTokens.Create(report.Leader.Id, settings.UnsubscribeKey))}";
        var trendDescription = ReportFormat.TrendDescription(report);

        if (report.IsQuiet)
        {
            return new RenderedReport(
                Subject: $"Quiet week — week {ReportFormat.WeekNumber(report.Week)}",
                Text: QuietText(report, correctionsUrl, unsubscribeUrl),
                Html: Page($"Quiet week — week {ReportFormat.WeekNumber(report.Week)}", "No meetings were scored this week.", QuietHtml(report, correctionsUrl), unsubscribeUrl),
                TrendChartPng: null,
                TrendDescription: trendDescription,
                CorrectionsUrl: correctionsUrl,
                UnsubscribeUrl: unsubscribeUrl);
        }

        var chart = TryRenderChart(report);
        var subject = $"Execution score {ReportFormat.Score(report.Score.Score!.Value)} (target {ReportFormat.Target(report.Target)}) — week {ReportFormat.WeekNumber(report.Week)}";
        return new RenderedReport(
            Subject: subject,
            Text: ScoredText(report, correctionsUrl, unsubscribeUrl),
            Html: Page(subject, ReportFormat.VerdictSentence(report), ScoredHtml(report, chart is not null, trendDescription, correctionsUrl), unsubscribeUrl),
            TrendChartPng: chart,
            TrendDescription: trendDescription,
            CorrectionsUrl: correctionsUrl,
            UnsubscribeUrl: unsubscribeUrl);
    }

    // The chart is a picture of numbers the email also states in words: an email without it is still complete.
    private byte[]? TryRenderChart(WeeklyReport report)
    {
        try
        {
            return TrendChart.RenderPng(report.Trend, report.Target);
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            LogChartFailed(logger, ex, report.Week);
            return null;
        }
    }

    private static string Page(string subject, string preheader, string content, string unsubscribeUrl) =>
        Template.Fill(HtmlTemplates.Page, new Dictionary<string, string>
        {
            ["subject"] = E(subject),
            ["preheader"] = E(preheader),
            ["content"] = content,
            ["unsubscribeUrl"] = E(unsubscribeUrl),
        });

    private static string ScoredHtml(WeeklyReport report, bool hasChart, string trendDescription, string correctionsUrl)
    {
        var verdict = report.Verdict ?? Verdict.OnTarget;
        var (verdictClass, verdictColor) = verdict switch
        {
            Verdict.Trapped => ("et-trapped", "#b3261e"),
            Verdict.Drifting => ("et-drifting", "#7a4f00"),
            _ => ("et-ontarget", "#1e6b34"),
        };

        var chart = hasChart
            ? Template.Fill(HtmlTemplates.Chart, new Dictionary<string, string>
            {
                ["contentId"] = RenderedReport.TrendContentId,
                ["width"] = TrendChart.Width.ToString(CultureInfo.InvariantCulture),
                ["height"] = TrendChart.Height.ToString(CultureInfo.InvariantCulture),
                ["alt"] = E(trendDescription),
            })
            : Template.Fill(HtmlTemplates.ChartAsText, new Dictionary<string, string> { ["alt"] = E(trendDescription) });

        return Template.Fill(HtmlTemplates.Scored, new Dictionary<string, string>
        {
            ["weekNumber"] = ReportFormat.WeekNumber(report.Week),
            ["weekDates"] = E(ReportFormat.WeekDates(report.Week)),
            ["leaderName"] = E(OneLine(report.LeaderName)),
            ["score"] = ReportFormat.Score(report.Score.Score!.Value),
            ["target"] = ReportFormat.Target(report.Target),
            ["verdictClass"] = verdictClass,
            ["verdictColor"] = verdictColor,
            ["verdictSentence"] = E(ReportFormat.VerdictSentence(report)),
            ["forecast"] = ForecastHtml(report),
            ["chart"] = chart,
            ["categoryRows"] = CategoryRowsHtml(report),
            ["topMeetings"] = TopMeetingsHtml(report),
            ["delegation"] = DelegationHtml(report),
            ["corrections"] = CorrectionsHtml(report, correctionsUrl),
        });
    }

    private static string QuietHtml(WeeklyReport report, string correctionsUrl) =>
        Template.Fill(HtmlTemplates.Quiet, new Dictionary<string, string>
        {
            ["weekNumber"] = ReportFormat.WeekNumber(report.Week),
            ["weekDates"] = E(ReportFormat.WeekDates(report.Week)),
            ["leaderName"] = E(OneLine(report.LeaderName)),
            ["forecast"] = ForecastHtml(report),
            ["corrections"] = CorrectionsHtml(report, correctionsUrl),
        });

    private static string ForecastHtml(WeeklyReport report) =>
        ReportFormat.ForecastSentence(report) is { } sentence
            ? Template.Fill(HtmlTemplates.Forecast, new Dictionary<string, string> { ["sentence"] = E(sentence) })
            : "";

    private static string CategoryRowsHtml(WeeklyReport report)
    {
        var total = report.Score.ScoredMinutes;
        var rows = Labels.AllCategories.Select(c => CategoryRowHtml(ReportFormat.CategoryName(c), report.MinutesByCategory[c], total, bold: false));
        var executionSide = report.Score.ExecutionSideMinutes;
        return string.Join("\n", rows.Append(CategoryRowHtml("Execution side", executionSide, total, bold: true)));
    }

    private static string CategoryRowHtml(string name, int minutes, int total, bool bold) =>
        Template.Fill(HtmlTemplates.CategoryRow, new Dictionary<string, string>
        {
            ["name"] = E(name),
            ["time"] = E(ReportFormat.Duration(minutes)),
            ["share"] = E(ReportFormat.Percent(minutes, total)),
            ["weight"] = bold ? "font-weight:700;" : "",
        });

    private static string TopMeetingsHtml(WeeklyReport report)
    {
        if (report.TopMeetings.Count == 0)
        {
            return "";
        }

        var items = report.TopMeetings.Select(m => Template.Fill(HtmlTemplates.TopMeeting, new Dictionary<string, string>
        {
            ["title"] = E(OneLine(m.Title)),
            ["facts"] = E(ReportFormat.MeetingFacts(m)),
            ["question"] = E(m.Question),
        }));
        return Template.Fill(HtmlTemplates.TopMeetings, new Dictionary<string, string> { ["items"] = string.Join("\n", items) });
    }

    private static string DelegationHtml(WeeklyReport report)
    {
        if (report.DelegationCandidates.Count == 0)
        {
            return "";
        }

        var items = report.DelegationCandidates.Select(c => Template.Fill(HtmlTemplates.DelegationItem, new Dictionary<string, string>
        {
            ["title"] = E(OneLine(c.Title)),
            ["hours"] = E(ReportFormat.Hours(c.HoursPerYear)),
            ["weekly"] = E(ReportFormat.Duration(c.MinutesThisWeek)),
            ["attendees"] = c.Attendees.ToString(CultureInfo.InvariantCulture),
        }));
        return Template.Fill(HtmlTemplates.Delegation, new Dictionary<string, string> { ["items"] = string.Join("\n", items) });
    }

    private static string CorrectionsHtml(WeeklyReport report, string correctionsUrl) =>
        Template.Fill(HtmlTemplates.Corrections, new Dictionary<string, string>
        {
            ["lead"] = E(CorrectionsLead(report)),
            ["url"] = E(correctionsUrl),
            ["weekNumber"] = ReportFormat.WeekNumber(report.Week),
        });

    private static string ScoredText(WeeklyReport report, string correctionsUrl, string unsubscribeUrl)
    {
        var total = report.Score.ScoredMinutes;
        var categoryRows = Labels.AllCategories
            .Select(c => TextRow(ReportFormat.CategoryName(c), report.MinutesByCategory[c], total))
            .Append(TextRow("Execution side", report.Score.ExecutionSideMinutes, total));

        var topMeetings = report.TopMeetings.Count == 0
            ? ""
            : Template.Fill(TextTemplates.TopMeetings, new Dictionary<string, string>
            {
                ["items"] = string.Join("\n", report.TopMeetings.Select((m, i) => Template.Fill(TextTemplates.TopMeeting, new Dictionary<string, string>
                {
                    ["rank"] = (i + 1).ToString(CultureInfo.InvariantCulture),
                    ["title"] = OneLine(m.Title),
                    ["facts"] = ReportFormat.MeetingFacts(m),
                    ["question"] = m.Question,
                }))),
            });

        var delegation = report.DelegationCandidates.Count == 0
            ? ""
            : Template.Fill(TextTemplates.Delegation, new Dictionary<string, string>
            {
                ["items"] = string.Join("\n", report.DelegationCandidates.Select(c => Template.Fill(TextTemplates.DelegationItem, new Dictionary<string, string>
                {
                    ["title"] = OneLine(c.Title),
                    ["hours"] = ReportFormat.Hours(c.HoursPerYear),
                    ["weekly"] = ReportFormat.Duration(c.MinutesThisWeek),
                    ["attendees"] = c.Attendees.ToString(CultureInfo.InvariantCulture),
                }))),
            });

        return Template.Fill(TextTemplates.Scored, new Dictionary<string, string>
        {
            ["score"] = ReportFormat.Score(report.Score.Score!.Value),
            ["target"] = ReportFormat.Target(report.Target),
            ["weekNumber"] = ReportFormat.WeekNumber(report.Week),
            ["weekDates"] = ReportFormat.WeekDates(report.Week),
            ["leaderName"] = OneLine(report.LeaderName),
            ["verdictSentence"] = ReportFormat.VerdictSentence(report),
            ["forecast"] = ReportFormat.ForecastSentence(report) ?? "",
            ["trend"] = ReportFormat.TrendDescription(report) + ".",
            ["categoryRows"] = string.Join("\n", categoryRows),
            ["topMeetings"] = topMeetings,
            ["delegation"] = delegation,
            ["corrections"] = $"{CorrectionsLead(report)} Correct categories: {correctionsUrl}",
            ["unsubscribeUrl"] = unsubscribeUrl,
        }).ReplaceLineEndings("\n");
    }

    private static string QuietText(WeeklyReport report, string correctionsUrl, string unsubscribeUrl) =>
        Template.Fill(TextTemplates.Quiet, new Dictionary<string, string>
        {
            ["weekNumber"] = ReportFormat.WeekNumber(report.Week),
            ["weekDates"] = ReportFormat.WeekDates(report.Week),
            ["leaderName"] = OneLine(report.LeaderName),
            ["forecast"] = ReportFormat.ForecastSentence(report) ?? "",
            ["corrections"] = $"{CorrectionsLead(report)} Correct categories: {correctionsUrl}",
            ["unsubscribeUrl"] = unsubscribeUrl,
        }).ReplaceLineEndings("\n");

    private static string TextRow(string name, int minutes, int total) =>
        $"  {name,-20}{ReportFormat.Duration(minutes),12}{ReportFormat.Percent(minutes, total),6}";

    private static string CorrectionsLead(WeeklyReport report) => report.UncertainMeetings switch
    {
        0 => "Something filed in the wrong category?",
        1 => "We were unsure about 1 meeting this week.",
        var n => $"We were unsure about {n} meetings this week.",
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);

    // Titles are the leader's free text: one line, bounded, so a pasted agenda cannot take over the email.
    private static string OneLine(string text)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= MaxTitleLength ? line : line[..(MaxTitleLength - 1)].TrimEnd() + "…";
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "The trend chart for week {Week} could not be drawn; the report is sent without it")]
    private static partial void LogChartFailed(ILogger logger, Exception exception, IsoWeek week);
}
