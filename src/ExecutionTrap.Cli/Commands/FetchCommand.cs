using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExecutionTrap.Calendars.Google;
using ExecutionTrap.Calendars.Microsoft;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Reports.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace ExecutionTrap.Cli.Commands;

/// <summary>`etrap fetch`: read one user's calendar from Microsoft Graph or Google through the service's connectors.</summary>
internal static class FetchCommand
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var arguments = CliArguments.Parse(args, ["--provider", "--access-token", "--from", "--to", "--base-url", "--state", "--format", "--model"], []);
        var provider = arguments.Value("--provider") ?? throw new UsageException("fetch needs --provider microsoft|google.");
        var token = arguments.Value("--access-token") ?? throw new UsageException("fetch needs --access-token TOKEN.");
        arguments.Choice("--format", "json", "json");
        var baseUrl = arguments.Value("--base-url");
        if (baseUrl is not null && !(Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            throw new InputException($"--base-url: '{baseUrl}' is not an http(s) URL.");
        }

        var now = Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow());
        var today = now.InUtc().Date;
        var from = ParseDate(arguments.Value("--from"), "--from") ?? today.PlusWeeks(-4);
        var to = ParseDate(arguments.Value("--to"), "--to") ?? today.PlusDays(1);
        if (to <= from)
        {
            throw new InputException($"--to ({to:yyyy-MM-dd}) must be after --from ({from:yyyy-MM-dd}).");
        }

        var statePath = arguments.Value("--state");
        var cursor = statePath is not null ? ReadState(statePath, provider) : null;

        using var host = CliHost.Build();
        ICalendarSource source = provider switch
        {
            "microsoft" => GraphCalendarSource.ForAccessToken(token, MicrosoftOptions(host, baseUrl)),
            "google" => host.Services.GetRequiredService<GoogleCalendarSourceFactory>().ForAccessToken(token, baseUrl),
            _ => throw new InputException($"--provider: '{provider}' is not microsoft or google."),
        };

        using var classifier = CliHost.LoadClassifier(arguments.Value("--model"));
        var window = new Interval(from.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(), to.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant());
        var request = new CalendarReadRequest(Guid.Empty, "primary", window, cursor, null);
        var output = new JsonArray();
        string? lastCursor = null;
        await foreach (var page in ReadAsync(source, request, statePath, cancellationToken))
        {
            var labels = classifier.Classifier.ClassifyMany(page.Changed);
            foreach (var (meeting, label) in page.Changed.Zip(labels))
            {
                var minutes = label.IsScored ? (int)Math.Round(meeting.Duration.TotalMinutes) : 0;
                output.Add(new JsonObject
                {
                    ["id"] = meeting.ProviderId,
                    ["title"] = meeting.Title,
                    ["start"] = MeetingJson.Utc(meeting.Start),
                    ["end"] = MeetingJson.Utc(meeting.End),
                    ["category"] = label.Category?.ToSlug(),
                    ["confidence"] = Math.Round(label.Confidence, 2),
                    ["scoredMinutes"] = minutes,
                    ["excluded"] = label.Excluded?.ToSlug(),
                    ["isPrivate"] = meeting.IsPrivate,
                });
            }

            foreach (var removed in page.Removed)
            {
                output.Add(new JsonObject { ["id"] = removed, ["removed"] = true });
            }

            // Only the last page's cursor is where the next run starts; a page token in the middle of this
            // read means nothing once it is over, and a last page without one asks for a full read next time.
            if (page.IsLastPage)
            {
                lastCursor = page.Cursor;
            }
        }

        await console.Out.WriteLineAsync(output.ToJsonString(ClassifyCommand.Json));
        if (statePath is not null)
        {
            WriteState(statePath, provider, lastCursor);
        }

        return ExitCodes.Success;
    }

    // The service's retry settings (Calendars:Microsoft in appsettings.json or the environment), with --base-url on top.
    private static MicrosoftCalendarOptions MicrosoftOptions(IHost host, string? baseUrl)
    {
        var options = host.Services.GetRequiredService<IOptions<MicrosoftCalendarOptions>>().Value;
        if (baseUrl is not null)
        {
            options.GraphBaseUrl = baseUrl;
        }

        return options;
    }

    private static async IAsyncEnumerable<CalendarPage> ReadAsync(
        ICalendarSource source, CalendarReadRequest request, string? statePath, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var pages = source.ReadAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await pages.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (CalendarSourceException e) when (e.Kind == CalendarErrorKind.CursorExpired && request.Cursor is not null)
            {
                throw new InputException($"--state: the provider no longer accepts the token saved in '{statePath}' ({e.Message}); delete the file for a full read.");
            }

            yield return pages.Current;
        }
    }

    private static LocalDate? ParseDate(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        var result = LocalDatePattern.Iso.Parse(text);
        return result.Success ? result.Value : throw new InputException($"{option}: '{text}' is not an ISO date such as 2026-11-02.");
    }

    private static string? ReadState(string path, string provider)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var state = JsonNode.Parse(File.ReadAllText(path));
            var savedProvider = state?["provider"]?.GetValue<string>();
            if (savedProvider is not null && savedProvider != provider)
            {
                throw new InputException($"--state: '{path}' holds the state of a {savedProvider} calendar, not {provider}.");
            }

            return state?["cursor"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new InputException($"--state: '{path}' is not a state file written by etrap fetch ({e.Message}).");
        }
    }

    private static void WriteState(string path, string provider, string? cursor)
    {
        var json = new JsonObject
        {
            ["provider"] = provider,
            ["cursor"] = cursor,
            ["savedAt"] = DateTimeOffset.FromUnixTimeMilliseconds(TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds()).ToString("O", CultureInfo.InvariantCulture),
        };
        var temporary = path + ".tmp";
        try
        {
            File.WriteAllText(temporary, json.ToJsonString(ClassifyCommand.Json));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"--state: cannot write '{path}': {e.Message}");
        }
    }
}
