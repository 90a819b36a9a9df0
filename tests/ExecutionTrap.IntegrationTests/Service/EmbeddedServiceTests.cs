using System.Net;
using System.Net.Http.Json;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace ExecutionTrap.IntegrationTests.Service;

/// <summary>Issue 2's promise: one command, no server, a calendar synced, classified, scored and reported.</summary>
[Collection(HostGroup.Name)]
public sealed class EmbeddedServiceTests
{
    // Monday 23 November 2026, 07:30 in London: the W47 report is due.
    private static readonly DateTimeOffset MondayMorning = new(2026, 11, 23, 7, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Healthz_Answers200_OnAFreshDataFolder()
    {
        using var host = new ServiceHost(MondayMorning);

        var response = await host.CreateClient().GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ConfiguredCalendar_IsSyncedClassifiedAndReported_AsAnEmlFile()
    {
        using var host = new ServiceHost(MondayMorning, new()
        {
            ["Onboarding:Leaders:0:Email"] = "dana@example.com",
            ["Onboarding:Leaders:0:DisplayName"] = "Dana",
            ["Onboarding:Leaders:0:TimeZone"] = "Europe/London",
            ["Onboarding:Leaders:0:Calendars:0"] = "sample:leader-month.ics",
        });
        _ = host.CreateClient();

        var meetings = await WaitForAsync(host, async db => await db.Meetings.CountAsync() > 100 ? await db.Meetings.ToListAsync() : null);
        await using (var scope = host.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<SendDueReportsJob>().RunAsync(CancellationToken.None);
        }

        var eml = await WaitForFileAsync(host.MailFolder, "*.eml");

        Assert.Contains(meetings, m => m.Category == Category.Firefighting && m.Title.StartsWith("SEV1 bridge", StringComparison.Ordinal));
        Assert.Contains(meetings, m => m.Excluded == ExclusionReason.NotAMeeting && m.Title == "Lunch");
        Assert.Equal(167, meetings.Count); // every occurrence of W45–W49, as `etrap analyze` lists them (the cancelled 1:1 included, as cancelled)
        Assert.All(meetings, m => Assert.False(string.IsNullOrEmpty(m.DecidedBy)));
        var message = await MimeMessage.LoadAsync(eml);
        Assert.Equal("dana@example.com", message.To.Mailboxes.Single().Address);
        Assert.Matches(@"^Execution score \d+ \(target 50\) — week 47$", message.Subject);
        Assert.NotNull(message.HtmlBody);
        Assert.Contains("Platform steering committee", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiAddedCalendar_IsSynced_AndItsWeekScored()
    {
        await using var feed = await LocalHttpServer.StartAsync();
        feed.Map("/leader-month.ics", CannedResponse.File(Path.Combine(ServiceHost.RepoRoot, "samples", "leader-month.ics"), "text/calendar"));
        using var host = new ServiceHost(MondayMorning, LocalFeeds.With());
        var client = await DevSignIn.SignInAsync(host, "sam@example.org");

        var created = await client.PostAsJsonAsync("/api/connections", new { address = feed.UrlFor("/leader-month.ics").ToString() });
        var connection = await created.Content.ReadFromJsonAsync<ConnectionDto>();
        await WaitForAsync(host, async db => await db.Connections.AnyAsync(c => c.Id == connection!.Id && c.LastSyncedAt != null) ? true : (bool?)null);
        var week = await client.GetFromJsonAsync<WeekDto>("/api/weeks/2026-W46");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.NotNull(week);
        Assert.Equal("2026-W46", week.Week);
        Assert.True(week.Score > 70, $"the incident week scored {week.Score}");
        Assert.True(week.Score > week.Target); // trapped in execution
    }

    [Fact]
    public async Task BrokenCalendar_ShowsAConnectionError_AndKeepsWhatWasStored()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(ServiceHost.RepoRoot, "samples", "leader-month.ics"));
        await using var feed = await LocalHttpServer.StartAsync();

        // the publisher's export is cut off half way on the second read: not a calendar any more
        feed.Map("/calendar.ics", CannedResponse.Text(200, text, "text/calendar"), CannedResponse.Text(200, text[..(text.Length / 2)], "text/calendar"));
        using var host = new ServiceHost(MondayMorning, LocalFeeds.With());
        var client = await DevSignIn.SignInAsync(host, "kim@example.net");
        var created = await client.PostAsJsonAsync("/api/connections", new { address = feed.UrlFor("/calendar.ics").ToString() });
        var connection = (await created.Content.ReadFromJsonAsync<ConnectionDto>())!;
        var before = await WaitForAsync(host, async db => await db.Meetings.CountAsync(m => m.ConnectionId == connection.Id) is > 0 and var n ? n : (int?)null);

        await using (var scope = host.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<SyncConnectionJob>().RunAsync(connection.Id, CancellationToken.None);
        }

        await using var check = host.Scope();
        var db = ServiceHost.Db(check);
        var stored = await db.Connections.SingleAsync(c => c.Id == connection.Id);
        Assert.Equal(ConnectionStatus.Error, stored.Status);
        Assert.False(string.IsNullOrWhiteSpace(stored.LastError));
        Assert.DoesNotContain("   at ", stored.LastError, StringComparison.Ordinal);
        Assert.Equal(before, await db.Meetings.CountAsync(m => m.ConnectionId == connection.Id));
    }

    [Fact]
    public async Task AddingACalendar_IsRefused_WithAClearMessage_WhenTheAddressIsNeitherFileNorUrl()
    {
        using var host = new ServiceHost(MondayMorning);
        var client = await DevSignIn.SignInAsync(host, "kim@example.net");

        var response = await client.PostAsJsonAsync("/api/connections", new { address = "/nowhere/calendar.ics" });
        var body = await response.Content.ReadAsStringAsync();

        // Refused as a file, without saying whether the server has one there.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Only https calendar addresses can be added", body, StringComparison.Ordinal);
    }

    private static async Task<T> WaitForAsync<T>(ServiceHost host, Func<ExecutionTrap.Storage.ExecutionTrapDbContext, Task<T?>> probe)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using (var scope = host.Scope())
            {
                if (await probe(ServiceHost.Db(scope)) is { } value)
                {
                    return value;
                }
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("The background job did not finish within 60 s.");
            }

            await Task.Delay(200);
        }
    }

    private static async Task<string> WaitForFileAsync(string folder, string pattern)
    {
        for (var i = 0; i < 300; i++)
        {
            if (Directory.Exists(folder) && Directory.GetFiles(folder, pattern).FirstOrDefault() is { } file)
            {
                return file;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"No {pattern} in {folder} within 60 s.");
    }

    private sealed record ConnectionDto(Guid Id, Guid LeaderId, string Status);

    private sealed record WeekDto(string Week, double? Score, double Target, int ScoredMinutes);
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostGroup
{
    public const string Name = "service host";
}
