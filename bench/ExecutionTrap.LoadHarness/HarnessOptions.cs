using System.Globalization;

namespace ExecutionTrap.LoadHarness;

/// <summary>The command line: <c>&lt;scenario&gt; [--name value]…</c>; scenario defaults fill what is not given.</summary>
internal sealed class HarnessOptions
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/ExecutionTrap.LoadHarness -- <scenario> [options]

        scenarios:
          throughput          full sync with 1 then 2 worker processes, an incremental round, the weekly report
          faults              kill -9 of a worker, PostgreSQL restart, SMTP outage, provider 429s
          report-aggregates   weekly aggregates as the report round computes them vs one SQL query

        options (defaults in brackets: throughput / faults / report-aggregates):
          --leaders N               synthetic leaders [2000 / 300 / 10000]
          --events N                events per leader [200 / 200 / 60]
          --latency-ms MIN-MAX      provider latency per Graph page [20-50]; 0-0 turns it off
          --workers-per-process N   Hangfire workers in each worker process (Jobs:WorkerCount) [4]
          --leaders-per-tenant N    leaders sharing one Microsoft tenant [100]
          --phase-timeout-minutes N the longest any one phase may run before it counts as failed [30]
          --smtp-down-seconds N     how long the SMTP server is down in 'faults' [120]
          --throttle-seconds N      how long the provider answers 429 in 'faults' [60]
          --throttle-fraction F     the share of Graph requests answered 429 meanwhile [0.5]
          --parallel N              batches (and single leaders) scored at once in 'report-aggregates' [1]
          --cpus-per-worker F       confine each worker process to F CPUs (a cgroup CPU quota), so that each
                                    stands for a machine of its own and PostgreSQL and the provider keep the rest;
                                    0 leaves them unconfined [0]
        """;

    public required string Scenario { get; init; }

    public int Leaders { get; private set; }

    public int Events { get; private set; }

    public int LatencyMinMs { get; private set; } = 20;

    public int LatencyMaxMs { get; private set; } = 50;

    public int WorkersPerProcess { get; private set; } = 4;

    public int LeadersPerTenant { get; private set; } = 100;

    public TimeSpan PhaseTimeout { get; private set; } = TimeSpan.FromMinutes(30);

    public int SmtpDownSeconds { get; private set; } = 120;

    public int ThrottleSeconds { get; private set; } = 60;

    public double ThrottleFraction { get; private set; } = 0.5;

    public int Parallel { get; private set; } = 1;

    public double CpusPerWorker { get; private set; }

    public static HarnessOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help")
        {
            throw new HarnessException(Usage);
        }

        var options = args[0] switch
        {
            "throughput" => new HarnessOptions { Scenario = args[0], Leaders = 2000, Events = 200 },
            "faults" => new HarnessOptions { Scenario = args[0], Leaders = 300, Events = 200 },
            "report-aggregates" => new HarnessOptions { Scenario = args[0], Leaders = 10_000, Events = 60 },
            _ => throw new HarnessException($"Unknown scenario '{args[0]}'.\n{Usage}"),
        };

        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new HarnessException($"{name} needs a value.");
            switch (name)
            {
                case "--leaders": options.Leaders = Int(name, value, 1, 1_000_000); break;
                case "--events": options.Events = Int(name, value, 1, 450); break;
                case "--latency-ms":
                    var parts = value.Split('-');
                    options.LatencyMinMs = Int(name, parts[0], 0, 10_000);
                    options.LatencyMaxMs = parts.Length > 1 ? Int(name, parts[1], options.LatencyMinMs, 10_000) : options.LatencyMinMs;
                    break;
                case "--workers-per-process": options.WorkersPerProcess = Int(name, value, 1, 64); break;
                case "--leaders-per-tenant": options.LeadersPerTenant = Int(name, value, 1, 1_000_000); break;
                case "--phase-timeout-minutes": options.PhaseTimeout = TimeSpan.FromMinutes(Int(name, value, 1, 240)); break;
                case "--smtp-down-seconds": options.SmtpDownSeconds = Int(name, value, 0, 3600); break;
                case "--throttle-seconds": options.ThrottleSeconds = Int(name, value, 0, 3600); break;
                case "--throttle-fraction":
                    options.ThrottleFraction = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) && fraction is >= 0 and <= 1
                        ? fraction
                        : throw new HarnessException($"{name} must be a number from 0 to 1, not '{value}'.");
                    break;
                case "--parallel": options.Parallel = Int(name, value, 1, 64); break;
                case "--cpus-per-worker":
                    options.CpusPerWorker = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var cpus) && cpus is >= 0 and <= 64
                        ? cpus
                        : throw new HarnessException($"{name} must be a number of CPUs from 0 to 64, not '{value}'.");
                    break;
                default: throw new HarnessException($"Unknown option '{name}'.\n{Usage}");
            }
        }

        return options;
    }

    private static int Int(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new HarnessException($"{name} must be a whole number from {min} to {max}, not '{value}'.");
}
