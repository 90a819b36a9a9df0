using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Reports.Email;
using NodaTime;
using static ExecutionTrap.UnitTests.Reports.ReportSamples;

namespace ExecutionTrap.UnitTests.Reports;

public class WeeklyReportRendererTests
{
    private const string HostileTitle = "<script>alert(1)</script> & co";

    [Fact]
    public void Render_WritesScoreTargetAndWeekInTheSubject()
    {
        var rendered = Renderer().Render(Report(target: 40));

        Assert.Equal("Execution score 62 (target 40) — week 47", rendered.Subject);
    }

    [Fact]
    public void Render_RoundsTheScoreToAWholeNumber_WhenItHasADecimal()
    {
        // 123 of 200 minutes is 61.5: half rounds away from zero, as people expect.
        var week = Score(
            Meeting("Status", Category.Execution, IsoDayOfWeek.Monday, 9, 123),
            Meeting("Offsite", Category.Strategy, IsoDayOfWeek.Tuesday, 9, 77));

        var rendered = Renderer().Render(Report(week, target: 32.5));

        Assert.Equal("Execution score 62 (target 32.5) — week 47", rendered.Subject);
    }

    [Fact]
    public void Render_SaysQuietWeek_WhenNothingWasScored()
    {
        var rendered = Renderer().Render(Report(Score()));

        Assert.Equal("Quiet week — week 47", rendered.Subject);
        Assert.Contains("No meetings were scored this week", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("Quiet week", rendered.Html, StringComparison.Ordinal);
        Assert.Null(rendered.TrendChartPng);
    }

    [Fact]
    public void Render_EncodesAHostileMeetingTitle_AndNeverWritesItRaw()
    {
        var rendered = Renderer().Render(Report(Score62(HostileTitle), leaderName: "<b>Ana</b>"));

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co", rendered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", rendered.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>Ana</b>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Ana&lt;/b&gt;", rendered.Html, StringComparison.Ordinal);
        Assert.Contains(HostileTitle, rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PutsScoreTargetAndMinutesInTheTextPart()
    {
        var rendered = Renderer().Render(Report());

        Assert.Contains("Execution score 62 (target 40)", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("Execution                    4 h   48%", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("Escalation            1 h 10 min   14%", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("Strategy              2 h 10 min   26%", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("Platform steering committee — 4 h this week, recurring, 9 people", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("Trapped in execution: 22 points above the target for a Head of Platform.", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LinksCorrectionsAndASignedUnsubscribe()
    {
        var rendered = Renderer().Render(Report());

        Assert.Equal("http://localhost:5080/week/2026-W47", rendered.CorrectionsUrl);
        Assert.Contains("href=\"http://localhost:5080/week/2026-W47\"", rendered.Html, StringComparison.Ordinal);
        Assert.Contains(rendered.CorrectionsUrl, rendered.Text, StringComparison.Ordinal);
        Assert.StartsWith("http://localhost:5080/unsubscribe?token=", rendered.UnsubscribeUrl, StringComparison.Ordinal);
        var token = Uri.UnescapeDataString(rendered.UnsubscribeUrl[(rendered.UnsubscribeUrl.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        Assert.True(UnsubscribeTokens.TryValidate(token, TestKey, out var leaderId));
        Assert.Equal(LeaderId, leaderId);
    }

    [Fact]
    public void Render_ShowsTheChartByContentId_WithTheTrendInWords()
    {
        var rendered = Renderer().Render(Report());

        Assert.NotNull(rendered.TrendChartPng);
        Assert.Contains("src=\"cid:trend\"", rendered.Html, StringComparison.Ordinal);
        Assert.Equal("Execution score over 8 weeks: no data, no data, no data, no data, no data, no data, no data, 62; target 40", rendered.TrendDescription);
        Assert.Contains("alt=\"Execution score over 8 weeks: no data", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BuildsAnAccessibleDarkModeAwareLayout()
    {
        var html = Renderer().Render(Report()).Html;

        Assert.Contains("<html lang=\"en\"", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"color-scheme\" content=\"light dark\">", html, StringComparison.Ordinal);
        Assert.Contains("@media (prefers-color-scheme: dark)", html, StringComparison.Ordinal);
        Assert.Contains("max-width:600px", html, StringComparison.Ordinal);
        Assert.Contains("role=\"presentation\"", html, StringComparison.Ordinal);
        Assert.Contains("<h1", html, StringComparison.Ordinal);
        Assert.Contains("<h2", html, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MentionsUncertainMeetings_WhenTheClassifierWasUnsure()
    {
        var week = Score(
            Meeting("Catch up", Category.Execution, IsoDayOfWeek.Monday, 9, 30, confidence: 0.2),
            Meeting("Call", Category.Execution, IsoDayOfWeek.Tuesday, 9, 30, confidence: 0.3));

        var rendered = Renderer().Render(Report(week));

        Assert.Contains("We were unsure about 2 meetings this week.", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("We were unsure about 2 meetings this week.", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LeavesAPlaceholderLikeTitleAlone()
    {
        // Templates are filled in one pass: a title that looks like a placeholder is text, not a slot.
        var rendered = Renderer().Render(Report(Score62("{{unsubscribeUrl}}")));

        Assert.Contains("{{unsubscribeUrl}} — 4 h this week", rendered.Text, StringComparison.Ordinal);
    }
}
