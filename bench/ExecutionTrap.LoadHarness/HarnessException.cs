namespace ExecutionTrap.LoadHarness;

/// <summary>A problem the harness explains in one line (missing tool, bad option, a phase that timed out).</summary>
internal sealed class HarnessException(string message) : Exception(message);
