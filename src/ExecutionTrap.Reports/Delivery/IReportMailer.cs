using MimeKit;

namespace ExecutionTrap.Reports.Delivery;

/// <summary>Hands a finished report email to whatever delivers it: an SMTP relay or a pickup folder.</summary>
internal interface IReportMailer
{
    /// <summary>Delivers the message to its recipients.</summary>
    /// <exception cref="MailboxRejectedException">The server refused the recipient for good (5xx on RCPT): mark the address bounced, do not retry.</exception>
    /// <remarks>Any other exception is transient or a configuration problem: let the job fail and retry.</remarks>
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
