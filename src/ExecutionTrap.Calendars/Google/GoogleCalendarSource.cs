using System.Net;
using System.Runtime.CompilerServices;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using Google;
using Google.Apis.Http;
using Google.Apis.Services;
using Microsoft.Extensions.Logging;
using NodaTime.Text;

namespace ExecutionTrap.Calendars.Google;

/// <summary>
/// Reads a Google calendar with <c>events.list</c>: a full read of the window (recurrences expanded,
/// deletions shown) ending in a sync token, then incremental reads from that token, page by page.
/// </summary>
internal sealed class GoogleCalendarSource(
    GoogleHttpClients httpClients,
    Func<CalendarReadRequest, IConfigurableHttpClientInitializer> credentialFor,
    string apiBaseUrl,
    GoogleCalendarOptions options,
    TimeProvider time,
    ILogger<GoogleCalendarSource> logger) : ICalendarSource
{
    public const string DefaultCalendarId = "primary";

    private static readonly string[] RateLimitReasons = ["rateLimitExceeded", "userRateLimitExceeded"];

    public CalendarProvider Provider => CalendarProvider.Google;

    public async IAsyncEnumerable<CalendarPage> ReadAsync(
        CalendarReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = GoogleCursor.Parse(request.Cursor, request.Window);
        var calendarId = string.IsNullOrWhiteSpace(request.Address) ? DefaultCalendarId : request.Address.Trim();
        using var service = new CalendarV3Service(new BaseClientService.Initializer
        {
            BaseUri = apiBaseUrl.EndsWith('/') ? apiBaseUrl : apiBaseUrl + "/",
            HttpClientFactory = httpClients.Factory,
            HttpClientInitializer = credentialFor(request),
            ApplicationName = "ExecutionTrap",
            // Retries are ours (FetchAsync): the SDK's policy would retry 503 only, and twice over with ours.
            DefaultExponentialBackOffPolicy = ExponentialBackOffPolicy.None,
        });

        while (true)
        {
            var page = await FetchAsync(service, calendarId, cursor, cancellationToken);
            var context = new GoogleCalendarContext(page.TimeZone, request.OwnerEmail ?? EmailLike(page.Summary) ?? EmailLike(calendarId));
            var changed = new List<Meeting>();
            var removed = new List<string>();
            foreach (var item in page.Items ?? [])
            {
                if (item is null)
                {
                    throw new CalendarSourceException(CalendarErrorKind.BadData, $"Google returned an empty entry in the events of calendar '{calendarId}'.");
                }

                if (GoogleEventMapper.IsCancelled(item))
                {
                    removed.Add(string.IsNullOrWhiteSpace(item.Id)
                        ? throw new CalendarSourceException(CalendarErrorKind.BadData, $"Google returned a cancelled event without an id in calendar '{calendarId}'.")
                        : item.Id);
                }
                else
                {
                    changed.Add(GoogleEventMapper.Map(item, context));
                }
            }

            var isLast = string.IsNullOrEmpty(page.NextPageToken);
            string? next;
            if (!isLast)
            {
                cursor = cursor.WithPage(page.NextPageToken!);
                next = cursor.ToString();
            }
            else if (!string.IsNullOrEmpty(page.NextSyncToken))
            {
                next = GoogleCursor.Incremental(page.NextSyncToken).ToString();
            }
            else
            {
                // Without a sync token the next read can only be a full one, which a null cursor asks for.
                GoogleCalendarLog.NoSyncToken(logger, request.ConnectionId);
                next = null;
            }

            GoogleCalendarLog.PageRead(logger, request.ConnectionId, changed.Count, removed.Count, cursor.IsFullRead, isLast);
            yield return new CalendarPage(changed, removed, next, isLast, cursor.IsFullRead);
            if (isLast)
            {
                yield break;
            }
        }
    }

    private async Task<EventsPage> FetchAsync(CalendarV3Service service, string calendarId, GoogleCursor cursor, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var list = service.ListEvents(calendarId);
            list.SingleEvents = true;
            list.ShowDeleted = true;
            list.MaxResults = options.PageSize;
            list.PageToken = cursor.PageToken;
            if (cursor.SyncToken is { } syncToken)
            {
                // Google rejects timeMin/timeMax beside a sync token.
                list.SyncToken = syncToken;
            }
            else
            {
                list.TimeMin = InstantPattern.ExtendedIso.Format(cursor.Window!.Value.Start);
                list.TimeMax = InstantPattern.ExtendedIso.Format(cursor.Window.Value.End);
            }

            string failure;
            TimeSpan? retryAfter = null;
            var rateLimited = false;
            try
            {
                // Unparsed first, as the SDK's ExecuteAsync does inside, so that Retry-After can be read from the answer.
                using var response = await list.SendAsync(cancellationToken);
                retryAfter = response.IsSuccessStatusCode ? null : RetryAfterOf(response);
                return await list.ParseAsync(response)
                    ?? throw new CalendarSourceException(CalendarErrorKind.BadData, $"Google answered an empty body for the events of calendar '{calendarId}'.");
            }
            catch (GoogleApiException ex) when (IsTransient(ex))
            {
                rateLimited = IsRateLimit(ex);
                if (attempt >= options.MaxAttempts)
                {
                    throw new CalendarSourceException(
                        CalendarErrorKind.ProviderUnavailable,
                        $"Google Calendar kept failing for calendar '{calendarId}' (HTTP {(int)ex.HttpStatusCode} {ReasonOf(ex) ?? ex.HttpStatusCode.ToString()}) after {attempt} attempts.",
                        ex)
                    { HttpStatus = (int)ex.HttpStatusCode };
                }

                failure = $"HTTP {(int)ex.HttpStatusCode} {ReasonOf(ex)}";
            }
            catch (GoogleApiException ex) when (ex.HttpStatusCode == 0 && ex.InnerException is Newtonsoft.Json.JsonException json)
            {
                // The SDK's own exception quotes the whole body, meeting titles included: keep only the parser's words.
                throw Malformed(calendarId, json);
            }
            catch (GoogleApiException ex)
            {
                throw Translate(ex, calendarId);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (attempt >= options.MaxAttempts)
                {
                    throw new CalendarSourceException(
                        CalendarErrorKind.ProviderUnavailable,
                        $"Google Calendar could not be reached for calendar '{calendarId}' after {attempt} attempts: {ex.Message}",
                        ex);
                }

                failure = ex.GetType().Name;
            }
            catch (Newtonsoft.Json.JsonException ex)
            {
                throw Malformed(calendarId, ex);
            }

            var delay = GoogleBackoff.Delay(attempt, options.BackoffBaseDelay, Random.Shared.NextDouble(), rateLimited, retryAfter);
            if (delay > GoogleBackoff.MaxRetryAfter)
            {
                // A wait this long holds a worker for nothing: give the attempt back to the job's own retries.
                throw new CalendarSourceException(
                    CalendarErrorKind.ProviderUnavailable,
                    $"Google Calendar asked to wait {retryAfter} before reading calendar '{calendarId}' again.")
                { HttpStatus = 429 };
            }

            GoogleCalendarLog.Retrying(logger, calendarId, failure, attempt, delay);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    private static bool IsTransient(GoogleApiException ex) => (int)ex.HttpStatusCode >= 500 || IsRateLimit(ex);

    private static bool IsRateLimit(GoogleApiException ex) =>
        ex.HttpStatusCode == HttpStatusCode.TooManyRequests
        || (ex.HttpStatusCode == HttpStatusCode.Forbidden && RateLimitReasons.Contains(ReasonOf(ex)));

    private TimeSpan? RetryAfterOf(HttpResponseMessage response) =>
        Microsoft.RetryAfter.TryParse(response, time.GetUtcNow(), out var delay) ? delay : null;

    private static CalendarSourceException Translate(GoogleApiException ex, string calendarId)
    {
        var status = (int)ex.HttpStatusCode;
        var reason = ReasonOf(ex) ?? "no reason given";
        var message = ex.Error?.Message ?? "";
        var (kind, text) = ex.HttpStatusCode switch
        {
            HttpStatusCode.Gone => (CalendarErrorKind.CursorExpired,
                $"Google's sync token for calendar '{calendarId}' expired (410 {reason}); a full read is needed."),
            HttpStatusCode.Unauthorized => (CalendarErrorKind.NeedsReconnect,
                $"Google rejected the access token for calendar '{calendarId}' (401 {reason}); connect the calendar again."),
            HttpStatusCode.Forbidden => (CalendarErrorKind.Forbidden,
                $"Google refused to read calendar '{calendarId}' (403 {reason}: {message})."),
            HttpStatusCode.NotFound => (CalendarErrorKind.NotFound,
                $"Google has no calendar '{calendarId}' that this account can read (404 {reason})."),
            HttpStatusCode.OK or 0 => (CalendarErrorKind.BadData,
                $"Google's answer for the events of calendar '{calendarId}' is not a Calendar v3 events page."),
            _ => (CalendarErrorKind.Forbidden,
                $"Google refused the events request for calendar '{calendarId}' (HTTP {status} {reason}: {message})."),
        };
        return new CalendarSourceException(kind, text, ex) { HttpStatus = status == 0 ? null : status };
    }

    private static CalendarSourceException Malformed(string calendarId, Exception ex) =>
        new(CalendarErrorKind.BadData, $"Google's answer for the events of calendar '{calendarId}' is not a Calendar v3 events page: {ex.Message}", ex);

    private static string? ReasonOf(GoogleApiException ex) => ex.Error?.Errors?.FirstOrDefault()?.Reason;

    private static string? EmailLike(string? text) => text?.Contains('@', StringComparison.Ordinal) == true ? text : null;
}

internal static partial class GoogleCalendarLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Debug, Message = "Google page read for connection {ConnectionId}: {Changed} changed, {Removed} removed, full read {IsFullRead}, last {IsLastPage}")]
    public static partial void PageRead(ILogger logger, Guid connectionId, int changed, int removed, bool isFullRead, bool isLastPage);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Google Calendar failed for calendar {CalendarId} ({Failure}) on attempt {Attempt}; retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, string calendarId, string failure, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Google's last page for connection {ConnectionId} carried no nextSyncToken; the next read will be a full one")]
    public static partial void NoSyncToken(ILogger logger, Guid connectionId);
}
