using System.Globalization;

namespace ExecutionTrap.LoadHarness.Infrastructure;

/// <summary>
/// CPU seconds used by processes, read from <c>/proc/&lt;pid&gt;/stat</c> (user + system). What a phase
/// cost is the difference of two readings; wall time alone says little on a machine whose cores are all busy.
/// </summary>
internal static class CpuTime
{
    // USER_HZ: Linux reports utime/stime in 1/100 s on every architecture .NET runs on.
    private const double TicksPerSecond = 100.0;

    /// <summary>The process's own CPU seconds; 0 once it is gone.</summary>
    public static double Of(int pid) => Read(pid) is { } stat ? (stat.User + stat.System) / TicksPerSecond : 0;

    /// <summary>
    /// A process and all its children: the children still running, plus those already reaped (PostgreSQL
    /// ends a backend when its connection closes, and the postmaster then carries its time).
    /// </summary>
    public static double OfTree(int pid)
    {
        if (Read(pid) is not { } root)
        {
            return 0;
        }

        var ticks = root.User + root.System + root.ReapedChildren;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var child)
                && Read(child) is { } stat && stat.Parent == pid)
            {
                ticks += stat.User + stat.System;
            }
        }

        return ticks / TicksPerSecond;
    }

    private static Stat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so split after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new Stat(Parent: (int)Field(4), User: Field(14), System: Field(15), ReapedChildren: Field(16) + Field(17));
    }

    private sealed record Stat(int Parent, long User, long System, long ReapedChildren);
}
