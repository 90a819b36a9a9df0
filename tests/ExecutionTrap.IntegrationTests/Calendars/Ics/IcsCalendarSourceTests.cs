using System.Text;
using ExecutionTrap.Calendars;
using ExecutionTrap.Calendars.Ics;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.IntegrationTests.Support;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using static ExecutionTrap.IntegrationTests.Calendars.Ics.IcsTestHost;

namespace ExecutionTrap.IntegrationTests.Calendars.Ics;

public sealed class IcsCalendarSourceTests : IAsyncLifetime
{
    private const string Outlook11 = "outlook11-weekly-recurring-vtimezone.ics";

    // March and April 2008: four occurrences of the Outlook 11 fortnightly meeting.
    private static readonly Interval Spring2008 = new(Instant.FromUtc(2008, 3, 10, 0, 0), Instant.FromUtc(2008, 4, 30, 0, 0));

    private LocalHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await LocalHttpServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ReadAsync_ReturnsOneFullPage_WhenFeedAnswersIcs()
    {
        _server.Map("/owa/calendar/published/calendar.ics", CannedResponse.File(RepoPaths.Fixture("ics", Outlook11), "text/calendar; charset=utf-8"));
        using var host = Build();

        var pages = await host.IcsSource().ReadAllAsync(Request(_server.UrlFor("/owa/calendar/published/calendar.ics").ToString(), Spring2008, owner: "majk@majk.com"));

        var page = Assert.Single(pages);
        Assert.True(page.IsFullRead);
        Assert.True(page.IsLastPage);
        Assert.Empty(page.Removed);
        Assert.StartsWith("sha256:", page.Cursor, StringComparison.Ordinal);
        Assert.Equal(4, page.Changed.Count);
        Assert.All(page.Changed, m => Assert.True(m.IsOrganizer));
        var request = Assert.Single(_server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Contains("text/calendar", request.Header("Accept"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ReturnsNoChanges_WhenFeedAndWindowAreUnchanged()
    {
        _server.Map("/cal.ics", CannedResponse.File(RepoPaths.Fixture("ics", Outlook11), "text/calendar"));
        using var host = Build();
        var source = host.IcsSource();
        var address = _server.UrlFor("/cal.ics").ToString();
        var first = Assert.Single(await source.ReadAllAsync(Request(address, Spring2008)));

        var second = Assert.Single(await source.ReadAllAsync(Request(address, Spring2008, first.Cursor)));

        Assert.Empty(second.Changed);
        Assert.Empty(second.Removed);
        Assert.False(second.IsFullRead);
        Assert.True(second.IsLastPage);
        Assert.Equal(first.Cursor, second.Cursor);
        Assert.Equal(2, _server.CountFor("/cal.ics"));
    }

    [Fact]
    public async Task ReadAsync_ReturnsNoChanges_WhenOnlyDtstampsChanged()
    {
        // Google and Outlook stamp every event with the time of the request: that is no change.
        var text = await File.ReadAllTextAsync(RepoPaths.Fixture("ics", Outlook11));
        _server.Map(
            "/cal.ics",
            CannedResponse.Text(200, text, "text/calendar"),
            CannedResponse.Text(200, text.Replace("DTSTAMP:20100120T094747Z", "DTSTAMP:20260101T120000Z", StringComparison.Ordinal), "text/calendar"));
        using var host = Build();
        var source = host.IcsSource();
        var address = _server.UrlFor("/cal.ics").ToString();
        var first = Assert.Single(await source.ReadAllAsync(Request(address, Spring2008)));

        var second = Assert.Single(await source.ReadAllAsync(Request(address, Spring2008, first.Cursor)));

        Assert.False(second.IsFullRead);
        Assert.Empty(second.Changed);
    }

    [Fact]
    public async Task ReadAsync_ReadsInFull_WhenContentChanged()
    {
        var text = await File.ReadAllTextAsync(RepoPaths.Fixture("ics", Outlook11));
        _server.Map(
            "/cal.ics",
            CannedResponse.Text(200, text, "text/calendar"),
            CannedResponse.Text(200, text.Replace("SUMMARY:NIP", "SUMMARY:NIP review", StringComparison.Ordinal), "text/calendar"));
        using var host = Build();
        var source = host.IcsSource();
        var address = _server.UrlFor("/cal.ics").ToString();
        var first = Assert.Single(await source.ReadAllAsync(Request(address, Spring2008)));

        var second = Assert.Single(await source.ReadAllAsync(Request(address, Spring2008, first.Cursor)));

        Assert.True(second.IsFullRead);
        Assert.NotEqual(first.Cursor, second.Cursor);
        Assert.All(second.Changed, m => Assert.Equal("NIP review", m.Title));
    }

    [Fact]
    public async Task ReadAsync_ReadsInFull_WhenWindowMovedPastTheExpandedRange()
    {
        // The same body read for a later window has new occurrences at the window's end.
        _server.Map("/cal.ics", CannedResponse.File(RepoPaths.Fixture("ics", Outlook11), "text/calendar"));
        using var host = Build();
        var source = host.IcsSource();
        var address = _server.UrlFor("/cal.ics").ToString();
        var first = Assert.Single(await source.ReadAllAsync(Request(address, Spring2008)));
        var later = new Interval(Spring2008.Start + Duration.FromDays(14), Spring2008.End + Duration.FromDays(14));

        var second = Assert.Single(await source.ReadAllAsync(Request(address, later, first.Cursor)));

        Assert.True(second.IsFullRead);
        Assert.Contains(second.Changed, m => m.Start == Instant.FromUtc(2008, 5, 8, 15, 0));
    }

    [Fact]
    public async Task ReadAsync_ThrowsNotFound_NamingUrlAndStatus_WhenFeedAnswers404()
    {
        _server.Map("/gone.ics", CannedResponse.Text(404, "Not here"));
        using var host = Build();
        var address = _server.UrlFor("/gone.ics").ToString();

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => host.IcsSource().ReadAllAsync(Request(address, Spring2008)));

        Assert.Equal(CalendarErrorKind.NotFound, error.Kind);
        Assert.Equal(404, error.HttpStatus);
        Assert.StartsWith($"{IcsFeedAddresses.Redact(address, keepPaths: true)} answered HTTP 404 Not Found", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.CountFor("/gone.ics")); // a 404 is not retried
    }

    [Fact]
    public async Task ReadAsync_ThrowsNotFound_WhenFeedAnswersHtml()
    {
        // Pasting the calendar's web page instead of its ICS link gives a 200 with HTML.
        _server.Map("/calendar", CannedResponse.Text(200, "<!DOCTYPE html>\n<html><body>Outlook on the web</body></html>", "text/html; charset=utf-8"));
        using var host = Build();
        var address = _server.UrlFor("/calendar").ToString();

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => host.IcsSource().ReadAllAsync(Request(address, Spring2008)));

        Assert.Equal(CalendarErrorKind.NotFound, error.Kind);
        Assert.StartsWith($"{IcsFeedAddresses.Redact(address, keepPaths: true)} answered with an HTML page, not an iCalendar feed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ThrowsBadData_WhenFeedIsNotICalendar()
    {
        _server.Map("/export.csv", CannedResponse.Text(200, "Subject,Start\r\nStandup,2026-01-05 09:00\r\n", "text/csv"));
        using var host = Build();
        var address = _server.UrlFor("/export.csv").ToString();

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => host.IcsSource().ReadAllAsync(Request(address, Spring2008)));

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.Equal($"{IcsFeedAddresses.Redact(address, keepPaths: true)} is not an iCalendar file: no BEGIN:VCALENDAR at its start.", error.Message);
    }

    [Fact]
    public async Task ReadAsync_ThrowsBadData_AndReturnsNoPage_WhenOneEventEndsBeforeItStarts()
    {
        var text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
            + "BEGIN:VEVENT\r\nUID:ok\r\nDTSTART:20080312T090000Z\r\nDTEND:20080312T100000Z\r\nSUMMARY:Fine\r\nEND:VEVENT\r\n"
            + "BEGIN:VEVENT\r\nUID:bad-7\r\nDTSTART:20080313T100000Z\r\nDTEND:20080313T090000Z\r\nSUMMARY:Board prep\r\nEND:VEVENT\r\n"
            + "END:VCALENDAR\r\n";
        _server.Map("/cal.ics", CannedResponse.Text(200, text, "text/calendar"));
        using var host = Build();
        var pages = new List<CalendarPage>();

        var error = await Assert.ThrowsAsync<CalendarSourceException>(async () =>
        {
            await foreach (var page in host.IcsSource().ReadAsync(Request(_server.UrlFor("/cal.ics").ToString(), Spring2008), CancellationToken.None))
            {
                pages.Add(page);
            }
        });

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.Contains("event \"Board prep\" (UID bad-7) ends before it starts", error.Message, StringComparison.Ordinal);
        Assert.Empty(pages);
    }

    [Fact]
    public async Task ReadAsync_StopsReading_WhenStreamedBodyExceedsLimit()
    {
        // No Content-Length: the server streams 50 MiB and only the reader's own count can stop it.
        const long total = 50L * 1024 * 1024;
        _server.Map("/huge.ics", async context =>
        {
            context.Response.ContentType = "text/calendar";
            var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("X-PADDING:0123456789012345678901234567890123456789012345\r\n", 1024)));
            try
            {
                await context.Response.Body.WriteAsync("BEGIN:VCALENDAR\r\n"u8.ToArray(), context.RequestAborted);
                for (long written = 0; written < total && !context.RequestAborted.IsCancellationRequested; written += chunk.Length)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionAbortedException)
            {
                // The client hung up: what this test wants.
            }
        });
        var network = new CountingSocketsHandler();
        var builder = Builder(("Calendars:Ics:MaxBytes", (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        builder.Services.AddHttpClient(IcsFeedReader.HttpClientName).ConfigurePrimaryHttpMessageHandler(network.CreateHandler);
        using var host = builder.Build();
        var address = _server.UrlFor("/huge.ics").ToString();

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => host.IcsSource().ReadAllAsync(Request(address, Spring2008)));

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.Equal($"{IcsFeedAddresses.Redact(address, keepPaths: true)} is larger than the 1 MiB limit for an ICS calendar (Calendars:Ics:MaxBytes).", error.Message);

        // The limit, plus what the client drains before closing the connection, plus socket buffers.
        Assert.InRange(network.BytesReceived, 1024 * 1024, 8L * 1024 * 1024);
    }

    [Fact]
    public async Task ReadAsync_RefusesBody_WhenDeclaredLengthExceedsLimit()
    {
        _server.Map("/big.ics", new CannedResponse(200, new byte[3 * 1024 * 1024], "text/calendar"));
        using var host = Build(("Calendars:Ics:MaxBytes", "2097152"));
        var address = _server.UrlFor("/big.ics").ToString();

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => host.IcsSource().ReadAllAsync(Request(address, Spring2008)));

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.Contains("larger than the 2 MiB limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_Retries_WhenFeedFailsOnce()
    {
        _server.Map(
            "/flaky.ics",
            CannedResponse.Text(503, "busy"),
            CannedResponse.File(RepoPaths.Fixture("ics", Outlook11), "text/calendar"));
        using var host = Build();

        var page = Assert.Single(await host.IcsSource().ReadAllAsync(Request(_server.UrlFor("/flaky.ics").ToString(), Spring2008)));

        Assert.Equal(4, page.Changed.Count);
        Assert.Equal(2, _server.CountFor("/flaky.ics"));
    }

    [Fact]
    public async Task ReadAsync_ThrowsProviderUnavailable_WhenFeedIsSlowerThanTimeout()
    {
        _server.Map("/slow.ics", async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var host = Build(("Calendars:Ics:TimeoutSeconds", "1"));
        var address = _server.UrlFor("/slow.ics").ToString();

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => host.IcsSource().ReadAllAsync(Request(address, Spring2008)));

        Assert.Equal(CalendarErrorKind.ProviderUnavailable, error.Kind);
        Assert.Equal($"{IcsFeedAddresses.Redact(address, keepPaths: true)} did not answer within 1 second.", error.Message);
    }

    [Fact]
    public async Task ReadAsync_ReadsLocalFile_WhenAddressIsAPath()
    {
        using var host = Build();

        var page = Assert.Single(await host.IcsSource().ReadAllAsync(Request(RepoPaths.Fixture("ics", Outlook11), Spring2008)));

        Assert.Equal(4, page.Changed.Count);
    }

    [Fact]
    public async Task ReadAsync_ThrowsNotFound_WhenFileDoesNotExist()
    {
        using var host = Build();
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.ics");

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => host.IcsSource().ReadAllAsync(Request(path, Spring2008)));

        Assert.Equal(CalendarErrorKind.NotFound, error.Kind);
        Assert.Equal($"ICS file {path} does not exist.", error.Message);
    }

    [Fact]
    public async Task ReadAsync_ThrowsBadData_WhenFileIsLargerThanLimit()
    {
        using var host = Build(("Calendars:Ics:MaxBytes", "4096"));
        var path = Path.Combine(Path.GetTempPath(), $"large-{Guid.NewGuid():N}.ics");
        await File.WriteAllBytesAsync(path, new byte[8192]);
        try
        {
            var error = await Assert.ThrowsAsync<CalendarSourceException>(() => host.IcsSource().ReadAllAsync(Request(path, Spring2008)));

            Assert.Equal(CalendarErrorKind.BadData, error.Kind);
            Assert.Equal($"{path} is larger than the 4 KiB limit for an ICS calendar (Calendars:Ics:MaxBytes).", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadAsync_RefusesLocalPath_WhenLocalFilesAreNotAllowed()
    {
        using var host = Build(("Calendars:Ics:AllowLocalFiles", "false"));

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => host.IcsSource().ReadAllAsync(Request("/etc/hostname", Spring2008)));

        Assert.Equal(CalendarErrorKind.Forbidden, error.Kind);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void AddCalendars_RegistersIcsSource_AmongTheCalendarSources()
    {
        var builder = Builder();

        var registered = builder.Services.Where(d => d.ServiceType == typeof(ICalendarSource)).Select(d => d.ImplementationType);

        Assert.Contains(typeof(IcsCalendarSource), registered);
    }

    [Fact]
    public void Options_FailNamingTheSetting_WhenIcsLimitIsInvalid()
    {
        using var host = Build(("Calendars:Ics:MaxBytes", "0"));

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<CalendarsOptions>>().Value);

        Assert.Contains("Calendars:Ics: The field MaxBytes must be between", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_HaveDocumentedDefaults()
    {
        using var host = Build();

        var options = host.Services.GetRequiredService<IOptions<CalendarsOptions>>().Value;

        Assert.Equal(8, options.SyncWindowWeeksBack);
        Assert.Equal(2, options.SyncWindowWeeksAhead);
        Assert.Equal(10 * 1024 * 1024, options.Ics.MaxBytes);
        Assert.Equal(30, options.Ics.TimeoutSeconds);
    }
}
