using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ExecutionTrap.Calendars;
using ExecutionTrap.Calendars.Google;
using ExecutionTrap.Calendars.Microsoft;
using ExecutionTrap.Classification;
using ExecutionTrap.Classification.Training;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Storage.Sync;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace ExecutionTrap.Cli.Commands;

/// <summary>
/// `etrap bench sync`: a local server plays a synthetic calendar (Graph delta or Google events.list pages,
/// generated page by page) and the sync runs end to end — the real connector, the classifier and
/// <see cref="CalendarPageWriter"/> into SQLite — against the floor of only fetching and parsing the same pages.
/// </summary>
internal static class BenchSyncCommand
{
    private const string AccessToken = "bench-access-token";

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var arguments = CliArguments.Parse(args, ["--provider", "--events", "--page-size"], []);
        var provider = arguments.Choice("--provider", "microsoft", "microsoft", "google");
        var events = arguments.Int("--events", 1, 10_000_000) ?? 20_000;
        var pageSize = arguments.Int("--page-size", 1, 1000) ?? 50;

        await using var server = await SyntheticCalendarServer.StartAsync(provider, events, pageSize, cancellationToken);
        var folder = Path.Combine(Path.GetTempPath(), $"etrap-bench-sync-{Guid.NewGuid():N}");
        try
        {
            using var host = BuildHost(server, folder, pageSize);
            await host.Services.MigrateStorageAsync(cancellationToken);
            using var http = new HttpClient();

            // The floor runs twice; the first pass warms the server and the JIT.
            await FloorAsync(http, server, cancellationToken);
            var floor = await MeasureAsync(() => FloorAsync(http, server, cancellationToken));
            var connector = await MeasureAsync(() => ConnectorOnlyAsync(host, server, cancellationToken));
            var stored = 0;
            var split = new Split();
            var endToEnd = await MeasureAsync(async () => stored = await EndToEndAsync(host, server, split, cancellationToken));
            if (floor.Events != events || connector.Events != events || endToEnd.Events != events || stored != events)
            {
                throw new InvalidOperationException($"The bench read {floor.Events}/{connector.Events}/{endToEnd.Events} events and stored {stored}, not {events}.");
            }

            using var process = Process.GetCurrentProcess();
            var report = new StringBuilder();
            report.Append(CultureInfo.InvariantCulture, $"sync bench: {provider}, {events} events in pages of {pageSize} ({server.Pages} pages), SQLite\n");
            report.Append(CultureInfo.InvariantCulture, $"floor (fetch + parse JSON only):         {Line(floor)}\n");
            report.Append(CultureInfo.InvariantCulture, $"connector (fetch + parse + map, SDK):    {Line(connector)}\n");
            report.Append(CultureInfo.InvariantCulture, $"end to end (+ classify + store):         {Line(endToEnd)} = {endToEnd.EventsPerSecond / floor.EventsPerSecond:P0} of the floor\n");
            report.Append(CultureInfo.InvariantCulture, $"  of which classify {split.Classify.TotalMilliseconds:0} ms, store (CalendarPageWriter, SQLite) {split.Store.TotalMilliseconds:0} ms\n");
            report.Append(CultureInfo.InvariantCulture, $"stored meetings: {stored}\n");
            report.Append(CultureInfo.InvariantCulture, $"peak process working set: {process.PeakWorkingSet64 / 1048576.0:0.0} MiB; GC heap at end of run: {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:0.0} MiB\n");
            report.Append(CultureInfo.InvariantCulture, $"({Environment.ProcessorCount} cores, .NET {Environment.Version}; the server runs in this process)\n");
            await console.Out.WriteAsync(report.ToString());
            return ExitCodes.Success;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static string Line(Measurement m) =>
        string.Create(CultureInfo.InvariantCulture, $"{m.Events} events in {m.Seconds * 1000:0} ms = {m.EventsPerSecond:#,0} events/s, peak managed heap {m.PeakHeapBytes / 1048576.0:0.0} MiB");

    private static IHost BuildHost(SyntheticCalendarServer server, string folder, int pageSize)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:DataFolder"] = folder,
            ["Calendars:Google:ApiBaseUrl"] = server.BaseUrl + "/calendar/v3/",
            ["Calendars:Google:PageSize"] = pageSize.ToString(CultureInfo.InvariantCulture),
            ["Calendars:Microsoft:GraphBaseUrl"] = server.BaseUrl + "/v1.0",
            ["Calendars:Microsoft:PageSize"] = pageSize.ToString(CultureInfo.InvariantCulture),
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IConnectionSecrets, AccessTokenOnlySecrets>();
        builder.AddStorage();
        builder.AddCalendars();
        builder.AddClassification();
        builder.Services.AddScoped<CalendarPageWriter>();
        return builder.Build();
    }

    private static ICalendarSource Source(IHost host, SyntheticCalendarServer server) => server.Provider == "microsoft"
        ? GraphCalendarSource.ForAccessToken(AccessToken, new MicrosoftCalendarOptions { GraphBaseUrl = server.BaseUrl + "/v1.0", PageSize = server.PageSize })
        : host.Services.GetRequiredService<GoogleCalendarSourceFactory>().ForAccessToken(AccessToken, server.BaseUrl + "/calendar/v3/");

    private static CalendarReadRequest Request(Guid connectionId) =>
        new(connectionId, "primary", new Interval(Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2027, 1, 1, 0, 0)), null, null);

    /// <summary>Only the bytes and the JSON: GET each page, parse it, count its events, follow its link.</summary>
    private static async Task<int> FloorAsync(HttpClient http, SyntheticCalendarServer server, CancellationToken cancellationToken)
    {
        var count = 0;
        string? next = server.FirstPageUrl;
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Authorization = new("Bearer", AccessToken);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            var root = json.RootElement;
            if (server.Provider == "microsoft")
            {
                count += root.GetProperty("value").GetArrayLength();
                next = root.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
            }
            else
            {
                count += root.GetProperty("items").GetArrayLength();
                next = root.TryGetProperty("nextPageToken", out var token) ? $"{server.FirstPageUrl}&pageToken={token.GetString()}" : null;
            }
        }

        return count;
    }

    private static async Task<int> ConnectorOnlyAsync(IHost host, SyntheticCalendarServer server, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var page in Source(host, server).ReadAsync(Request(Guid.NewGuid()), cancellationToken))
        {
            count += page.Changed.Count;
        }

        return count;
    }

    /// <summary>What the sync job does per page: the connector's page, classified, written with its cursor in one transaction.</summary>
    private static async Task<int> EndToEndAsync(IHost host, SyntheticCalendarServer server, Split split, CancellationToken cancellationToken)
    {
        var classifier = host.Services.GetRequiredService<IMeetingClassifier>();
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        var connectionId = await AddConnectionAsync(db, server.Provider, cancellationToken);
        var writer = scope.ServiceProvider.GetRequiredService<CalendarPageWriter>();
        var count = 0;
        await foreach (var page in Source(host, server).ReadAsync(Request(connectionId), cancellationToken))
        {
            var started = Stopwatch.GetTimestamp();
            var labels = classifier.ClassifyMany(page.Changed);
            var classified = Stopwatch.GetTimestamp();
            await writer.ApplyAsync(connectionId, page, labels, cancellationToken);
            split.Classify += Stopwatch.GetElapsedTime(started, classified);
            split.Store += Stopwatch.GetElapsedTime(classified);
            count += page.Changed.Count;
        }

        return count;
    }

    private static async Task<Guid> AddConnectionAsync(ExecutionTrapDbContext db, string provider, CancellationToken cancellationToken)
    {
        var organisation = new Organisation { Id = Guid.NewGuid(), Name = "Bench", Domain = "bench.example" };
        var leader = new Leader { Id = Guid.NewGuid(), OrganisationId = organisation.Id, Email = "leader@bench.example", DisplayName = "Bench Leader" };
        var connection = new CalendarConnection
        {
            Id = Guid.NewGuid(),
            LeaderId = leader.Id,
            Provider = provider == "microsoft" ? CalendarProvider.Microsoft : CalendarProvider.Google,
            Address = "primary",
        };
        db.AddRange(organisation, leader, connection);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return connection.Id;
    }

    private static async Task<Measurement> MeasureAsync(Func<Task<int>> run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                try
                {
                    await Task.Delay(5, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        var watch = Stopwatch.StartNew();
        var events = await run();
        var seconds = watch.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        return new Measurement(events, seconds, Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false)));
    }

    private sealed class Split
    {
        public TimeSpan Classify { get; set; }

        public TimeSpan Store { get; set; }
    }

    private sealed record Measurement(int Events, double Seconds, long PeakHeapBytes)
    {
        public double EventsPerSecond => Events / Seconds;
    }
}

/// <summary>
/// Serves a synthetic calendar of N events in pages, as Graph <c>calendarView/delta</c> or Google <c>events.list</c>
/// pages; each page is generated when asked for, so the server's memory does not grow with the calendar.
/// </summary>
internal sealed class SyntheticCalendarServer : IAsyncDisposable
{
    private static readonly string[] Titles = [.. BuiltInTrainingData.Load().Select(e => e.Title).Distinct().Take(500)];

    private readonly WebApplication _app;

    private SyntheticCalendarServer(WebApplication app, string provider, int events, int pageSize)
    {
        _app = app;
        Provider = provider;
        Events = events;
        PageSize = pageSize;
    }

    public string Provider { get; }

    public int Events { get; }

    public int PageSize { get; }

    public int Pages => (Events + PageSize - 1) / PageSize;

    public string BaseUrl { get; private set; } = "";

    public string FirstPageUrl => Provider == "microsoft"
        ? $"{BaseUrl}/v1.0/me/calendarView/delta()?startDateTime=2026-01-01T00:00:00Z&endDateTime=2027-01-01T00:00:00Z"
        : $"{BaseUrl}/calendar/v3/calendars/primary/events?singleEvents=true";

    public static async Task<SyntheticCalendarServer> StartAsync(string provider, int events, int pageSize, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new SyntheticCalendarServer(app, provider, events, pageSize);
        app.Run(server.AnswerAsync);
        await app.StartAsync(cancellationToken);
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var token = Provider == "microsoft" ? query["$skiptoken"].ToString() : query["pageToken"].ToString();
        var page = int.TryParse(token, CultureInfo.InvariantCulture, out var number) ? number : 0;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteStartArray(Provider == "microsoft" ? "value" : "items");
        var first = page * PageSize;
        for (var i = first; i < Math.Min(first + PageSize, Events); i++)
        {
            if (Provider == "microsoft")
            {
                WriteGraphEvent(json, i);
            }
            else
            {
                WriteGoogleEvent(json, i);
            }
        }

        json.WriteEndArray();
        var last = first + PageSize >= Events;
        if (Provider == "microsoft")
        {
            json.WriteString(
                last ? "@odata.deltaLink" : "@odata.nextLink",
                last ? $"{BaseUrl}/v1.0/me/calendarView/delta?$deltatoken=bench" : $"{BaseUrl}/v1.0/me/calendarView/delta?$skiptoken={page + 1}");
        }
        else
        {
            json.WriteString("kind", "calendar#events");
            json.WriteString("timeZone", "Europe/London");
            json.WriteString(last ? "nextSyncToken" : "nextPageToken", last ? "bench-sync-token" : (page + 1).ToString(CultureInfo.InvariantCulture));
        }

        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static (DateTime Start, DateTime End) When(int i)
    {
        var start = new DateTime(2026, 1, 5, 8, 0, 0, DateTimeKind.Utc).AddDays(i / 9 % 360).AddHours(i % 9);
        return (start, start.AddMinutes(i % 4 == 0 ? 60 : 30));
    }

    private static void WriteGraphEvent(Utf8JsonWriter json, int i)
    {
        var (start, end) = When(i);
        json.WriteStartObject();
        json.WriteString("@odata.etag", $"W/\"bench{i}\"");
        json.WriteString("id", $"AAMkADbench{i:D8}=");
        json.WriteString("subject", Titles[i % Titles.Length]);
        json.WriteString("bodyPreview", "Agenda: review the plan, agree owners and dates.");
        json.WriteString("type", "singleInstance");
        json.WriteString("showAs", "busy");
        json.WriteString("sensitivity", "normal");
        json.WriteBoolean("isAllDay", false);
        json.WriteBoolean("isCancelled", false);
        json.WriteBoolean("isOrganizer", i % 3 == 0);
        json.WriteStartObject("responseStatus");
        json.WriteString("response", i % 3 == 0 ? "organizer" : "accepted");
        json.WriteEndObject();
        WriteGraphTime(json, "start", start);
        WriteGraphTime(json, "end", end);
        json.WriteStartObject("organizer");
        WriteGraphAddress(json, "Dana Leader", "leader@bench.example");
        json.WriteEndObject();
        json.WriteStartArray("attendees");
        for (var a = 0; a < 2 + (i % 5); a++)
        {
            json.WriteStartObject();
            json.WriteString("type", "required");
            WriteGraphAddress(json, $"Person {a}", a == 0 ? "leader@bench.example" : $"person{a}@bench.example");
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteGraphTime(Utf8JsonWriter json, string name, DateTime value)
    {
        json.WriteStartObject(name);
        json.WriteString("dateTime", value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture));
        json.WriteString("timeZone", "UTC");
        json.WriteEndObject();
    }

    private static void WriteGraphAddress(Utf8JsonWriter json, string name, string address)
    {
        json.WriteStartObject("emailAddress");
        json.WriteString("name", name);
        json.WriteString("address", address);
        json.WriteEndObject();
    }

    private static void WriteGoogleEvent(Utf8JsonWriter json, int i)
    {
        var (start, end) = When(i);
        json.WriteStartObject();
        json.WriteString("kind", "calendar#event");
        json.WriteString("etag", $"\"bench{i}\"");
        json.WriteString("id", $"bench{i:D8}");
        json.WriteString("status", "confirmed");
        json.WriteString("summary", Titles[i % Titles.Length]);
        json.WriteString("description", "Agenda: review the plan, agree owners and dates.");
        json.WriteString("eventType", "default");
        json.WriteStartObject("start");
        json.WriteString("dateTime", start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        json.WriteEndObject();
        json.WriteStartObject("end");
        json.WriteString("dateTime", end.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        json.WriteEndObject();
        json.WriteStartObject("organizer");
        json.WriteString("email", "leader@bench.example");
        json.WriteBoolean("self", i % 3 == 0);
        json.WriteEndObject();
        json.WriteStartArray("attendees");
        for (var a = 0; a < 2 + (i % 5); a++)
        {
            json.WriteStartObject();
            json.WriteString("email", a == 0 ? "leader@bench.example" : $"person{a}@bench.example");
            json.WriteString("responseStatus", "accepted");
            if (a == 0)
            {
                json.WriteBoolean("self", true);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
