using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ExecutionTrap.Reports.Delivery;

/// <summary>Sends through an SMTP relay with MailKit; one connection per message keeps workers independent.</summary>
internal sealed partial class SmtpReportMailer(IOptions<ReportsOptions> options, ILogger<SmtpReportMailer> logger) : IReportMailer
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            throw new InvalidOperationException("No SMTP host is configured (Reports:Smtp:Host).");
        }

        using var client = new SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
        await client.ConnectAsync(smtp.Host, smtp.Port, SocketOptionsFor(smtp), cancellationToken);
        try
        {
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
        }
        catch (SmtpCommandException ex) when (ex.ErrorCode == SmtpErrorCode.RecipientNotAccepted && (int)ex.StatusCode is >= 500 and < 600)
        {
            LogRecipientRejected(logger, (int)ex.StatusCode, message.MessageId);
            throw new MailboxRejectedException(ex.Mailbox?.Address ?? "", (int)ex.StatusCode, ex.Message.Trim(), ex);
        }
        finally
        {
            await QuitQuietlyAsync(client, cancellationToken);
        }
    }

    internal static SecureSocketOptions SocketOptionsFor(SmtpOptions smtp) => smtp.StartTls switch
    {
        StartTlsMode.None => SecureSocketOptions.None,
        StartTlsMode.Always => smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls,
        _ => smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable,
    };

    // The message is delivered or refused by now; a relay that drops the line on QUIT changes nothing.
    private async Task QuitQuietlyAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or MailKit.ProtocolException or SmtpCommandException or OperationCanceledException)
        {
            LogQuitFailed(logger, ex);
        }
    }

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "The SMTP server refused the recipient of report {MessageId} with {SmtpStatus}")]
    private static partial void LogRecipientRejected(ILogger logger, int smtpStatus, string? messageId);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Debug, Message = "Closing the SMTP connection failed after the send")]
    private static partial void LogQuitFailed(ILogger logger, Exception exception);
}
