using System.Globalization;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports.Building;
using ExecutionTrap.Reports.Rendering;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ExecutionTrap.Reports.Email;

/// <summary>
/// Builds the MIME message: multipart/alternative with the text first and the HTML last (clients show the last
/// part they can), the HTML inside multipart/related with the chart it references by Content-ID, and the
/// RFC 2369 / RFC 8058 headers that give the inbox its one-click unsubscribe button.
/// </summary>
internal sealed class ReportEmailComposer(IOptions<ReportsOptions> options, TimeProvider time)
{
    public MimeMessage Compose(WeeklyReport report, RenderedReport rendered, string recipientAddress)
    {
        var settings = options.Value;
        var from = MailboxAddress.Parse(settings.From);
        var to = new MailboxAddress(report.LeaderName, recipientAddress);

        var message = new MimeMessage
        {
            Subject = rendered.Subject,
            Date = time.GetUtcNow(),
            MessageId = MessageIdFor(report.Leader.Id, report.Week, from),
            Body = Body(rendered),
        };
        message.From.Add(from);
        message.To.Add(to);

        var token = UnsubscribeTokens.Create(report.Leader.Id, settings.UnsubscribeKey);
        message.Headers.Add("List-Unsubscribe", $"<{rendered.UnsubscribeUrl}>, <mailto:{from.Address}?subject=unsubscribe%20{Uri.EscapeDataString(token)}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");

        // An automatic report: no vacation replies back to the sender (RFC 3834, and Exchange's own header).
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Auto-Response-Suppress", "OOF, AutoReply");
        return message;
    }

    /// <summary>The same (leader, week) always gets the same id, so a resend is recognisable as one.</summary>
    public static string MessageIdFor(Guid leaderId, IsoWeek week, MailboxAddress from)
    {
        var domain = from.Domain is { Length: > 0 } d ? d : "localhost";
        return string.Create(CultureInfo.InvariantCulture, $"weekly-report.{week}.{leaderId:N}@{domain}");
    }

    private static MultipartAlternative Body(RenderedReport rendered)
    {
        var text = new TextPart("plain") { Text = rendered.Text };
        var html = new TextPart("html") { Text = rendered.Html };
        text.ContentType.Charset = "utf-8";
        html.ContentType.Charset = "utf-8";

        if (rendered.TrendChartPng is not { } png)
        {
            return new MultipartAlternative { text, html };
        }

        var chart = new MimePart("image", "png")
        {
            Content = new MimeContent(new MemoryStream(png, writable: false)),
            ContentId = RenderedReport.TrendContentId,
            ContentDisposition = new ContentDisposition(ContentDisposition.Inline) { FileName = "trend.png" },
            ContentTransferEncoding = ContentEncoding.Base64,
        };

        // The first part of multipart/related is its root (RFC 2387); setting Root as well would add the HTML twice.
        var related = new MultipartRelated { html, chart };
        return new MultipartAlternative { text, related };
    }
}
