using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.IntegrationTests.Sync;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using Microsoft.Extensions.DependencyInjection;

namespace ExecutionTrap.IntegrationTests.Security;

/// <summary>
/// Issue 12, "a calendar takes a worker down": a recurrence bomb (FREQ=SECONDLY, an endless
/// FREQ=MINUTELY, several of them) and 40,000 events sharing one UID, each read through the real
/// `etrap analyze` program (its peak memory read from /proc while it runs) and through the host's
/// sync of an ICS connection on SQLite and PostgreSQL. Each finishes in seconds, under 300 MB, with
/// a capped result that says so: on stderr for the CLI, on the connection for the host.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class BoundedCalendarTests(PostgresServer postgres) : IDisposable
{
    private const long MaxPeakBytes = 300L * 1024 * 1024;

    // CPU seconds the etrap process used: unlike wall time, it does not grow when the machine is
    // shared with other builds. Alone on two cores a bomb takes about 2 s and 40,000 events about 8 s.
    private static readonly TimeSpan MaxCpuTime = TimeSpan.FromSeconds(20);

    // The host also classifies and stores up to 20,000 meetings in one round (the store's part),
    // in the test process beside other tests: wall time, generous.
    private static readonly TimeSpan MaxSyncTime = TimeSpan.FromSeconds(120);

    // The analysed week; the hostile series start a little before its eight weeks of trend.
    private const string Week = "2026-W20";
    private static readonly DateTime AnalysedMonday = new(2026, 5, 11, 0, 0, 0, DateTimeKind.Utc);

    private readonly string _folder = Directory.CreateTempSubdirectory("etrap-bounded-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> HostileCalendars() => ["secondly", "minutely-endless", "several-bombs", "duplicate-uids-40000"];

    [Theory]
    [MemberData(nameof(HostileCalendars))]
    public async Task Analyze_FinishesInSecondsUnder300MB_WithACappedFlaggedResult(string kind)
    {
        var path = Path.Combine(_folder, kind + ".ics");
        await File.WriteAllTextAsync(path, Hostile(kind, AnalysedMonday));

        var run = await RunEtrapAsync("analyze", path, "--week", Week, "--timezone", "UTC", "--format", "json");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Error}");
        Assert.True(run.CpuTime > TimeSpan.Zero && run.CpuTime < MaxCpuTime, $"{kind}: {run.CpuTime.TotalSeconds:0.0} s of CPU ({run.Elapsed.TotalSeconds:0.0} s wall)");
        Assert.True(run.PeakBytes is > 0 and < MaxPeakBytes, $"{kind}: peak resident memory {run.PeakBytes / (1024 * 1024)} MB");

        // The flag: one line on stderr; stdout keeps the contract's JSON object unchanged.
        var warning = Assert.Single(run.Error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"etrap: warning: {path}: calendar capped: ", warning, StringComparison.Ordinal);
        Assert.Contains(kind switch
        {
            "secondly" => "1 event recurring more often than once a minute skipped",
            "several-bombs" => "3 events recurring more often than once a minute skipped",
            "minutely-endless" => "cut at 2,000 occurrences",
            _ => "the read stopped at 20,000 meetings",
        }, warning, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(Week, json.RootElement.GetProperty("week").GetString());
        var meetings = json.RootElement.GetProperty("meetings").EnumerateArray().ToList();
        Assert.True(meetings.Count <= 20_000);

        // The ordinary event beside the bomb is still there.
        if (kind != "duplicate-uids-40000")
        {
            Assert.Contains(meetings, m => m.GetProperty("title").GetString() == "Weekly planning");
        }
    }

    [Theory]
    [InlineData("Sqlite", "secondly")]
    [InlineData("Sqlite", "minutely-endless")]
    [InlineData("Sqlite", "several-bombs")]
    [InlineData("Sqlite", "duplicate-uids-40000")]
    [InlineData("PostgreSql", "secondly")]
    [InlineData("PostgreSql", "minutely-endless")]
    [InlineData("PostgreSql", "several-bombs")]
    [InlineData("PostgreSql", "duplicate-uids-40000")]
    public async Task Sync_StoresACappedCalendar_AndRecordsTheCapOnTheConnection(string database, string kind)
    {
        await using var server = await ProviderReplayServer.StartAsync();
        await using var feed = await LocalHttpServer.StartAsync();
        await using var host = await SyncTestHost.StartAsync(database, postgres, server, settings: LocalFeeds.With());
        var monday = ThisMonday(TimeProvider.System.GetUtcNow().UtcDateTime);
        feed.Map("/hostile.ics", CannedResponse.Text(200, Hostile(kind, monday), "text/calendar"));
        var leaderId = await host.AddLeaderAsync();
        var connectionId = await AddIcsConnectionAsync(host, leaderId, feed.UrlFor("/hostile.ics").ToString());
        var clock = Stopwatch.StartNew();

        await host.SyncAsync(connectionId);

        Assert.True(clock.Elapsed < MaxSyncTime, $"{database} {kind}: the sync took {clock.Elapsed}");
        var connection = await host.ConnectionAsync(connectionId);
        Assert.NotNull(connection.LastSyncedAt);
        Assert.Equal(ConnectionStatus.Active, connection.Status);
        Assert.StartsWith("calendar capped: ", connection.LastError, StringComparison.Ordinal);
        var stored = await host.MeetingsAsync(connectionId);
        Assert.InRange(stored.Count, 1, 20_000);
        if (kind != "duplicate-uids-40000")
        {
            Assert.Contains(stored, m => m.Title == "Weekly planning");
        }

        // A second round reads again (a capped read keeps no cursor) and keeps the flag.
        await host.SyncAsync(connectionId);
        Assert.StartsWith("calendar capped: ", (await host.ConnectionAsync(connectionId)).LastError, StringComparison.Ordinal);
    }

    // A hostile calendar whose series start four weeks before `monday`, beside one ordinary weekly event.
    private static string Hostile(string kind, DateTime monday)
    {
        var start = monday.AddDays(-28).AddHours(9);
        var text = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ExecutionTrap//Security tests//EN\r\n");
        void Event(string uid, DateTime at, string summary, string? rule)
        {
            text.Append("BEGIN:VEVENT\r\nUID:").Append(uid).Append("\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:").Append(Stamp(at))
                .Append("\r\nDTEND:").Append(Stamp(at.AddMinutes(30))).Append("\r\nSUMMARY:").Append(summary).Append("\r\n");
            if (rule is not null)
            {
                text.Append("RRULE:").Append(rule).Append("\r\n");
            }

            text.Append("END:VEVENT\r\n");
        }

        switch (kind)
        {
            case "secondly":
                Event("bomb", start, "Every second", "FREQ=SECONDLY");
                break;
            case "minutely-endless":
                Event("bomb", start, "Every minute", "FREQ=MINUTELY");
                break;
            case "several-bombs":
                for (var i = 0; i < 3; i++)
                {
                    Event($"bomb-s{i}", start, "Every second", "FREQ=SECONDLY");
                }

                for (var i = 0; i < 12; i++)
                {
                    Event($"bomb-m{i}", start.AddMinutes(i), "Every minute", "FREQ=MINUTELY");
                }

                break;
            default:
                // 40,000 events, one UID, spread over the twelve weeks around `monday`.
                for (var i = 0; i < 40_000; i++)
                {
                    Event("same-uid@example.com", start.AddDays(-28).AddMinutes(i * 3), $"Copy {i}", null);
                }

                break;
        }

        if (kind != "duplicate-uids-40000")
        {
            Event("planning", start.AddHours(1), "Weekly planning", "FREQ=WEEKLY");
        }

        return text.Append("END:VCALENDAR\r\n").ToString();
    }

    private static string Stamp(DateTime utc) => utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static DateTime ThisMonday(DateTime utc) => utc.Date.AddDays(-(((int)utc.DayOfWeek + 6) % 7));

    private static async Task<Guid> AddIcsConnectionAsync(SyncTestHost host, Guid leaderId, string address)
    {
        var id = Guid.NewGuid();
        await using var scope = host.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        db.Connections.Add(new CalendarConnection { Id = id, LeaderId = leaderId, Provider = CalendarProvider.Ics, Address = address, DisplayName = "Hostile" });
        await db.SaveChangesAsync();
        return id;
    }

    private sealed record EtrapRun(int ExitCode, string Out, string Error, TimeSpan Elapsed, long PeakBytes, TimeSpan CpuTime);

    // The built etrap.dll as a shell runs it, its peak resident set (VmHWM) read from /proc while it runs.
    private static async Task<EtrapRun> RunEtrapAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet && File.Exists(dotnet) ? dotnet : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "etrap.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var status = $"/proc/{process.Id}/status";
        var stat = $"/proc/{process.Id}/stat";
        long peak = 0;
        var cpu = TimeSpan.Zero;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!process.HasExited)
        {
            peak = Math.Max(peak, PeakResident(status));
            cpu = CpuTime(stat) is { } used && used > cpu ? used : cpu;
            try
            {
                await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMilliseconds(20)).Token);
            }
            catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
            {
            }

            if (timeout.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("etrap did not finish within two minutes.");
            }
        }

        await process.WaitForExitAsync();
        return new EtrapRun(process.ExitCode, await output, await error, clock.Elapsed, peak, cpu);
    }

    // utime and stime, fields 14 and 15 of /proc/PID/stat, in clock ticks (100 a second on Linux).
    private static TimeSpan? CpuTime(string statFile)
    {
        try
        {
            var text = File.ReadAllText(statFile);
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long PeakResident(string statusFile)
    {
        try
        {
            var line = File.ReadLines(statusFile).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0; // the process has just exited
        }
    }
}
