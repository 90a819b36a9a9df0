using ExecutionTrap.Reports.Email;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using static ExecutionTrap.UnitTests.Reports.ReportSamples;

namespace ExecutionTrap.UnitTests.Reports;

public class ReportEmailComposerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Compose_NestsRelatedHtmlAndChartInsideAlternative_WithTextFirst()
    {
        var report = Report();

        var message = Composer().Compose(report, Renderer().Render(report), "ana@example.com");

        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(2, alternative.Count);
        var text = Assert.IsType<TextPart>(alternative[0]);
        Assert.True(text.IsPlain);
        var related = Assert.IsType<MultipartRelated>(alternative[1]);
        Assert.True(Assert.IsType<TextPart>(related.Root).IsHtml);
        Assert.Equal(2, related.Count);
        var chart = Assert.IsAssignableFrom<MimePart>(related[1]);
        Assert.Equal("image/png", chart.ContentType.MimeType);
        Assert.Equal("trend", chart.ContentId);
    }

    [Fact]
    public void Compose_LeavesOutTheRelatedPart_WhenThereIsNoChart()
    {
        var report = Report(Score());

        var message = Composer().Compose(report, Renderer().Render(report), "ana@example.com");

        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.True(Assert.IsType<TextPart>(alternative[1]).IsHtml);
    }

    [Fact]
    public void Compose_AddsOneClickUnsubscribeHeaders()
    {
        var report = Report();
        var rendered = Renderer().Render(report);

        var message = Composer().Compose(report, rendered, "ana@example.com");

        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        var listUnsubscribe = message.Headers["List-Unsubscribe"];
        Assert.StartsWith($"<{rendered.UnsubscribeUrl}>, <mailto:reports@localhost?subject=unsubscribe%20", listUnsubscribe, StringComparison.Ordinal);
        Assert.EndsWith(">", listUnsubscribe, StringComparison.Ordinal);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
    }

    [Fact]
    public void Compose_GivesTheSameMessageId_WhenTheSameWeekIsSentAgain()
    {
        var report = Report();

        var first = Composer().Compose(report, Renderer().Render(report), "ana@example.com");
        var second = Composer().Compose(report, Renderer().Render(report), "ana@example.com");

        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal($"weekly-report.2026-W47.{LeaderId:N}@localhost", first.MessageId);
    }

    [Fact]
    public void Compose_AddressesTheLeader_AndDatesTheMessageByTheInjectedClock()
    {
        var report = Report();

        var message = Composer().Compose(report, Renderer().Render(report), "ana@example.com");

        var to = Assert.IsType<MailboxAddress>(Assert.Single(message.To));
        Assert.Equal("ana@example.com", to.Address);
        Assert.Equal("Ana Lima", to.Name);
        Assert.Equal("reports@localhost", Assert.IsType<MailboxAddress>(Assert.Single(message.From)).Address);
        Assert.Equal(Now, message.Date);
        Assert.Equal("Execution score 62 (target 40) — week 47", message.Subject);
    }

    private static ReportEmailComposer Composer() =>
        new(Microsoft.Extensions.Options.Options.Create(Options()), new FakeTimeProvider(Now));
}
