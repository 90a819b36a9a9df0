namespace ExecutionTrap.Cli;

/// <summary>The exit codes of the cli.md contract.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int BadInput = 1;
    public const int Usage = 2;
    public const int RemoteFailure = 3;

    /// <summary>Interrupted (Ctrl+C): 128 + SIGINT, as shells report it.</summary>
    public const int Cancelled = 130;
}
