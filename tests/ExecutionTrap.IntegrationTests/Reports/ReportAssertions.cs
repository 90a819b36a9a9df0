using MimeKit;

namespace ExecutionTrap.IntegrationTests.Reports;

/// <summary>What every delivered weekly report must look like once a mail client parses it.</summary>
internal static class ReportAssertions
{
    public static void IsCompleteWeeklyReport(MimeMessage message, string? expectedMessageId)
    {
        Assert.Equal(expectedMessageId, message.MessageId);
        Assert.Equal("Execution score 67 (target 40) — week 47", message.Subject);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        var listUnsubscribe = message.Headers["List-Unsubscribe"];
        Assert.Matches(@"^<http://reports\.test/unsubscribe\?token=[A-Za-z0-9_.%-]+>, <mailto:reports@example\.com\?subject=unsubscribe%20[A-Za-z0-9_.%-]+>$", listUnsubscribe);

        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(2, alternative.Count);
        var text = Assert.IsType<TextPart>(alternative[0]);
        Assert.True(text.IsPlain);
        Assert.Contains("Execution score 67 (target 40)", text.Text, StringComparison.Ordinal);
        Assert.Contains(ReportsTestHost.HostileTitle, text.Text, StringComparison.Ordinal);

        var related = Assert.IsType<MultipartRelated>(alternative[1]);
        var html = Assert.IsType<TextPart>(related.Root);
        Assert.True(html.IsHtml);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co", html.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("src=\"cid:trend\"", html.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"http://reports.test/week/2026-W47\"", html.Text, StringComparison.Ordinal);

        var chart = Assert.IsAssignableFrom<MimePart>(related.First(part => part.ContentId == "trend"));
        Assert.Equal("image/png", chart.ContentType.MimeType);
        using var png = new MemoryStream();
        Assert.NotNull(chart.Content);
        chart.Content.DecodeTo(png);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png.ToArray()[..4]);
    }
}
