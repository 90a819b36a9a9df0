namespace ExecutionTrap.Reports.Delivery;

/// <summary>The receiving server refused the address for good (SMTP 5xx on RCPT TO): it bounced, retrying will not help.</summary>
public sealed class MailboxRejectedException : Exception
{
    public MailboxRejectedException(string address, int smtpStatus, string serverMessage, Exception? innerException = null)
        : base($"The mail server refused {address} ({smtpStatus}): {serverMessage}", innerException)
    {
        Address = address;
        SmtpStatus = smtpStatus;
    }

    public MailboxRejectedException()
    {
    }

    public MailboxRejectedException(string message)
        : base(message)
    {
    }

    public MailboxRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The refused address.</summary>
    public string Address { get; } = "";

    /// <summary>The SMTP reply code, 500–599.</summary>
    public int SmtpStatus { get; }
}
