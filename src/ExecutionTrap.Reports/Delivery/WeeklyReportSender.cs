using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports.Building;
using ExecutionTrap.Reports.Email;
using ExecutionTrap.Reports.Rendering;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace ExecutionTrap.Reports.Delivery;

/// <summary>What the weekly-report job calls: render, compose and deliver one leader's report.</summary>
internal sealed partial class WeeklyReportSender(
    WeeklyReportRenderer renderer,
    ReportEmailComposer composer,
    IReportMailer mailer,
    ILogger<WeeklyReportSender> logger)
{
    /// <summary>Sends the report and returns the message it sent (its Message-Id is the same for every resend).</summary>
    /// <exception cref="MailboxRejectedException">The address bounced: mark it, do not retry.</exception>
    public async Task<MimeMessage> SendAsync(WeeklyReport report, string recipientAddress, CancellationToken cancellationToken)
    {
        var message = Compose(report, recipientAddress);
        await mailer.SendAsync(message, cancellationToken);
        LogSent(logger, report.Leader.Id, report.Week, message.MessageId);
        return message;
    }

    /// <summary>The message the report would be sent as, without sending it (previews, the CLI).</summary>
    public MimeMessage Compose(WeeklyReport report, string recipientAddress) =>
        composer.Compose(report, renderer.Render(report), recipientAddress);

    [LoggerMessage(EventId = 4131, Level = LogLevel.Information, Message = "Weekly report for leader {LeaderId}, week {Week} sent as {MessageId}")]
    private static partial void LogSent(ILogger logger, Guid leaderId, IsoWeek week, string? messageId);
}
