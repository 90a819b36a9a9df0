using System.Globalization;

namespace ExecutionTrap.LoadHarness.Infrastructure;

/// <summary>
/// A CPU quota for one worker process: a cgroup of the cpu controller (v2 <c>cpu.max</c>, or v1
/// <c>cpu.cfs_quota_us</c>) that the process joins before the .NET runtime starts, so the runtime sizes
/// itself for the CPUs it really has, as it would in a container. It lets one machine stand for several:
/// each worker gets a fixed share, as if it ran on a host of its own.
/// </summary>
internal sealed class CpuQuota : IDisposable
{
    private const int PeriodMicroseconds = 100_000;

    private CpuQuota(string path) => Path = path;

    /// <summary>The cgroup folder; a process joins it by writing its pid to <c>cgroup.procs</c>.</summary>
    public string Path { get; }

    public static CpuQuota Create(string name, double cpus)
    {
        var quota = ((long)(cpus * PeriodMicroseconds)).ToString(CultureInfo.InvariantCulture);
        var period = PeriodMicroseconds.ToString(CultureInfo.InvariantCulture);
        try
        {
            if (File.Exists("/sys/fs/cgroup/cgroup.controllers") && File.ReadAllText("/sys/fs/cgroup/cgroup.controllers").Contains("cpu", StringComparison.Ordinal))
            {
                var v2 = Directory.CreateDirectory($"/sys/fs/cgroup/{name}").FullName;
                File.WriteAllText(System.IO.Path.Combine(v2, "cpu.max"), $"{quota} {period}");
                return new CpuQuota(v2);
            }

            var v1 = Directory.CreateDirectory($"/sys/fs/cgroup/cpu/{name}").FullName;
            File.WriteAllText(System.IO.Path.Combine(v1, "cpu.cfs_period_us"), period);
            File.WriteAllText(System.IO.Path.Combine(v1, "cpu.cfs_quota_us"), quota);
            return new CpuQuota(v1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HarnessException($"--cpus-per-worker needs a writable cgroup cpu controller (run as root, with /sys/fs/cgroup mounted): {ex.Message}");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path);
        }
        catch (IOException)
        {
            // A process still in it (a killed worker not yet reaped): the empty group is harmless.
        }
    }
}
