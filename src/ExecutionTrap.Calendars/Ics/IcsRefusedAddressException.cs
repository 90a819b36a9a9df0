namespace ExecutionTrap.Calendars.Ics;

/// <summary>
/// A feed address resolved to a network this service never reads from. Thrown inside the
/// connection step, so it names the host only, never the path or query that may carry a secret.
/// </summary>
internal sealed class IcsRefusedAddressException : IOException
{
    public IcsRefusedAddressException(string message)
        : base(message)
    {
    }

    public IcsRefusedAddressException()
    {
    }

    public IcsRefusedAddressException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
