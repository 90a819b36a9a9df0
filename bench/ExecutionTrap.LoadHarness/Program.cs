using ExecutionTrap.LoadHarness.Scenarios;

namespace ExecutionTrap.LoadHarness;

// A named entry class: the web host's public top-level Program is visible here through the reference.
internal static class LoadHarnessProgram
{
    public static async Task<int> Main(string[] args)
    {
        HarnessOptions options;
        try
        {
            options = HarnessOptions.Parse(args);
        }
        catch (HarnessException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        try
        {
            var report = new CheckReport();
            await using var run = await HarnessRun.PrepareAsync(options);
            await (options.Scenario switch
            {
                "throughput" => new ThroughputScenario(run, report).RunAsync(),
                "faults" => new FaultsScenario(run, report).RunAsync(),
                _ => new ReportAggregatesScenario(run, report).RunAsync(),
            });
            report.Print();
            Console.WriteLine($"Load average at the end (1, 5, 15 min): {HarnessRun.LoadAverage()} on {Environment.ProcessorCount} cores");
            Console.WriteLine($"Worker logs and the run's files: {run.Folder}");
            return report.AllPassed ? 0 : 1;
        }
        catch (HarnessException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 3;
        }
    }
}
