namespace ExecutionTrap.LoadHarness.Infrastructure;

/// <summary>CPU seconds of the worker processes and of PostgreSQL at one moment, or used between two moments.</summary>
internal sealed record CpuReading(double Workers, double Postgres)
{
    public double Total => Workers + Postgres;

    public static CpuReading Take(PostgresCluster postgres, IEnumerable<WorkerProcess> workers) =>
        new(workers.Sum(w => w.CpuSeconds()), postgres.CpuSeconds());

    public CpuReading Minus(CpuReading earlier) => new(Workers - earlier.Workers, Postgres - earlier.Postgres);

    /// <summary>"41.2 s / 6.3 s (1.83 of 2 cores busy)": how much of the machine the phase had.</summary>
    public string Describe(TimeSpan elapsed) =>
        $"{Workers:0.0} s / {Postgres:0.0} s ({Total / Math.Max(0.001, elapsed.TotalSeconds):0.00} of {Environment.ProcessorCount} cores busy)";
}
