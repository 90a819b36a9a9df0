using ExecutionTrap.Reports;
using ExecutionTrap.Reports.Delivery;
using ExecutionTrap.Storage;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ExecutionTrap.Web.Jobs;

/// <summary>Tells a leader, once, that a calendar lost its grant and how to connect it again.</summary>
internal sealed class SendReconnectNoticeJob(ExecutionTrapDbContext db, IReportMailer mailer, IOptions<ReportsOptions> reports)
{
    public const string Id = "send-reconnect-notice";

    [Queue("email")]
    [AutomaticRetry(Attempts = 8)]
    public async Task RunAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        var connection = await db.Connections.AsNoTracking().Include(c => c.Leader)
            .SingleOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
        if (connection?.Leader is null)
        {
            return;
        }

        var options = reports.Value;
        var link = $"{options.PublicBaseUrl.TrimEnd('/')}/connections/{connection.Id}/reconnect";
        var provider = connection.Provider switch
        {
            Domain.Meetings.CalendarProvider.Microsoft => "Microsoft 365",
            Domain.Meetings.CalendarProvider.Google => "Google",
            _ => "calendar",
        };

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(new MailboxAddress(connection.Leader.DisplayName, connection.Leader.Email));
        message.Subject = $"Reconnect your {provider} calendar to keep your weekly report";
        message.MessageId = $"reconnect-{connection.Id:N}-{connection.ReconnectNoticeSentAt?.ToUnixTimeSeconds()}@executiontrap";
        message.Body = new TextPart("plain")
        {
            Text = $"""
                Hello {connection.Leader.DisplayName},

                {provider} no longer lets ExecutionTrap read your calendar (the permission was revoked or expired).
                Your other calendars and everything already synced are untouched.

                Connect it again in one click: {link}

                Until then your weekly report leaves this calendar out.
                """,
        };
        await mailer.SendAsync(message, cancellationToken);
    }
}
