using System.Text.Json.Nodes;
using ExecutionTrap.IntegrationTests.Calendars.Google;
using ExecutionTrap.IntegrationTests.Calendars.Microsoft;

namespace ExecutionTrap.IntegrationTests.Cli;

public sealed class FetchCommandTests : IDisposable
{
    private static readonly string[] EventKeys =
        ["id", "title", "start", "end", "category", "confidence", "scoredMinutes", "excluded", "isPrivate"];

    private readonly CliFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task FetchMicrosoft_PrintsEveryEventAndThenOnlyChanges_WhenStateIsKept()
    {
        await using var graph = await GraphReplayServer.StartAsync();
        graph.AnswerGraphWithFixture("graph-calendarview-delta-page1-nextlink.json");
        graph.AnswerGraphWithFixture("graph-calendarview-delta-page2-nextlink.json");
        graph.AnswerGraphWithFixture("graph-calendarview-delta-page3-final-deltalink.json");
        graph.AnswerGraphWithFixture("graph-calendarview-delta-nextround-removed-deltalink.json");
        var state = _files.PathOf("s.json");

        var first = await FetchAsync("microsoft", graph.GraphBaseUrl, state);
        var second = await FetchAsync("microsoft", graph.GraphBaseUrl, state);

        Assert.Equal(0, first.ExitCode);
        var all = first.Json().EnumerateArray().ToList();
        Assert.Equal(["Plan shopping list", "Pick up car", "Get food", "Prepare food", "Rest!"], all.Select(e => e.GetProperty("title").GetString()));
        Assert.All(all, e => Assert.Equal(EventKeys, e.EnumerateObject().Select(p => p.Name)));
        Assert.Equal("AAMkADNVxRAAA=", all[0].GetProperty("id").GetString());
        Assert.False(all[0].GetProperty("isPrivate").GetBoolean());
        Assert.Equal("2016-12-09T20:30:00Z", all[0].GetProperty("start").GetString());

        // The second run starts from the saved delta link and prints only what changed since.
        Assert.Equal(0, second.ExitCode);
        Assert.EndsWith("/me/calendarView/delta?$deltatoken=R0usmcMDNGg0J1E", graph.GraphRequests[3].PathAndQuery, StringComparison.Ordinal);
        var changes = second.Json().EnumerateArray().ToList();
        Assert.Equal(2, changes.Count);
        Assert.Equal("Attend service", Assert.Single(changes, c => c.TryGetProperty("title", out _)).GetProperty("title").GetString());
        var removed = Assert.Single(changes, c => c.TryGetProperty("removed", out _));
        Assert.Equal(["id", "removed"], removed.EnumerateObject().Select(p => p.Name));
        Assert.Equal("AAMkADk0MGFkODE3LWE4MmYtNDRhOS04OGQLkRkXbBznTvAADb6ytyAAA=", removed.GetProperty("id").GetString());
        Assert.True(removed.GetProperty("removed").GetBoolean());
        Assert.Contains("$deltatoken=R0usmcFuQtZdtpk4", await File.ReadAllTextAsync(state), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchMicrosoft_MarksPrivateEvents_WhenGraphSaysPrivate()
    {
        await using var graph = await GraphReplayServer.StartAsync();
        graph.AnswerGraph(200, graph.RewriteLinks("""
            {
              "@odata.deltaLink": "https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=ONE",
              "value": [
                {
                  "id": "AAMkPrivate=",
                  "subject": "Dentist",
                  "sensitivity": "private",
                  "start": { "dateTime": "2026-03-02T09:00:00.0000000", "timeZone": "UTC" },
                  "end": { "dateTime": "2026-03-02T10:00:00.0000000", "timeZone": "UTC" }
                }
              ]
            }
            """));

        var result = await FetchAsync("microsoft", graph.GraphBaseUrl, state: null);

        var item = Assert.Single(result.Json().EnumerateArray());
        Assert.Equal("AAMkPrivate=", item.GetProperty("id").GetString());
        Assert.True(item.GetProperty("isPrivate").GetBoolean());
    }

    [Fact]
    public async Task FetchGoogle_PrintsEveryEventAndThenOnlyChanges_WhenStateIsKept()
    {
        await using var google = await GoogleReplayServer.StartAsync();
        google.Events(ReplayResponse.Fixture("google-events-list-page1-nextpagetoken.json"))
            .Events(ReplayResponse.Fixture("google-events-list-final-page-nextsynctoken.json"))
            .Events(ReplayResponse.Fixture("google-events-incremental-cancelled-instance.json"));
        var state = _files.PathOf("s.json");

        var first = await FetchAsync("google", google.ApiBaseUrl, state);
        var second = await FetchAsync("google", google.ApiBaseUrl, state);

        Assert.Equal(0, first.ExitCode);
        var all = first.Json().EnumerateArray().ToList();
        Assert.Equal(["Cool Meeting about stuff", "test event"], all.Select(e => e.GetProperty("title").GetString()));
        Assert.All(all, e => Assert.Equal(EventKeys, e.EnumerateObject().Select(p => p.Name)));
        Assert.Equal("3if6lf59tove1e037baa75l54t", all[0].GetProperty("id").GetString());
        Assert.Equal("2018-04-01T08:30:00Z", all[0].GetProperty("start").GetString());
        Assert.False(all[0].GetProperty("isPrivate").GetBoolean());

        // The second run sends the saved sync token and prints the changed master and the cancelled instance.
        Assert.Equal(0, second.ExitCode);
        Assert.Equal("CPjflvfe1YEDEPjflvfe1YEDGAUg0_uyjwI=", google.EventRequests[2].Query["syncToken"]);
        var changes = second.Json().EnumerateArray().ToList();
        Assert.Equal("🍜 Breakfast", Assert.Single(changes, c => c.TryGetProperty("title", out _)).GetProperty("title").GetString());
        var removed = Assert.Single(changes, c => c.TryGetProperty("removed", out _));
        Assert.Equal("5hni4sj3ql1669otmjg7sn1mok_20250325T130000Z", removed.GetProperty("id").GetString());
        Assert.True(removed.GetProperty("removed").GetBoolean());
    }

    [Fact]
    public async Task FetchGoogle_ReadsInFullAgain_WhenTheLastPageCarriedNoSyncToken()
    {
        await using var google = await GoogleReplayServer.StartAsync();
        google.Events(ReplayResponse.Fixture("google-events-list-page1-nextpagetoken.json"))
            .Events(ReplayResponse.Fixture("google-events-list-page2-last-recurring-allday.json"))
            .Events(ReplayResponse.Fixture("google-events-list-final-page-nextsynctoken.json"));
        var state = _files.PathOf("s.json");

        var first = await FetchAsync("google", google.ApiBaseUrl, state);
        var second = await FetchAsync("google", google.ApiBaseUrl, state);

        // The libkgapi mock ends without a nextSyncToken: the page token of page 1 must not be kept as state.
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        var again = google.EventRequests[2];
        Assert.False(again.Query.ContainsKey("pageToken"));
        Assert.False(again.Query.ContainsKey("syncToken"));
        Assert.True(again.Query.ContainsKey("timeMin"));
        Assert.Equal("test event", Assert.Single(second.Json().EnumerateArray()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task FetchMicrosoft_FailsNamingTheStateFile_WhenGraphNoLongerKnowsTheSavedToken()
    {
        await using var graph = await GraphReplayServer.StartAsync();
        graph.AnswerGraphWithFixture("graph-error-410-syncstatenotfound.json", status: 410);
        var cursor = "delta:" + graph.Link("https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=R0usmcMDNGg0J1E");
        var state = _files.Write("s.json", new JsonObject { ["provider"] = "microsoft", ["cursor"] = cursor }.ToJsonString());

        var result = await FetchAsync("microsoft", graph.GraphBaseUrl, state);

        // An expired delta token is not a provider failure: the user deletes the state and reads in full.
        result.AssertBadInput("--state", "s.json", "410", "delete the file");
    }

    [Fact]
    public async Task Fetch_FailsWithOneLine_WhenTheStateFileIsNotOurs()
    {
        var state = _files.Write("s.json", "BEGIN:VCALENDAR");

        var result = await CliRunner.RunAsync("fetch", "--provider", "microsoft", "--access-token", "T", "--base-url", "http://127.0.0.1:9/v1.0", "--state", state);

        result.AssertBadInput("--state", "s.json");
    }

    [Fact]
    public async Task Fetch_FailsWithOneLine_WhenTheStateBelongsToTheOtherProvider()
    {
        var state = _files.Write("s.json", new JsonObject { ["provider"] = "google", ["cursor"] = "sync:abc" }.ToJsonString());

        var result = await CliRunner.RunAsync("fetch", "--provider", "microsoft", "--access-token", "T", "--base-url", "http://127.0.0.1:9/v1.0", "--state", state);

        result.AssertBadInput("--state", "google");
    }

    [Theory]
    [InlineData("--provider", "outlook", "microsoft or google")]
    [InlineData("--from", "last monday", "ISO date")]
    [InlineData("--base-url", "ftp://example.com", "http(s) URL")]
    public async Task Fetch_FailsWithOneLine_WhenAnOptionValueIsBad(string option, string value, string explanation)
    {
        var args = new List<string> { "fetch", "--provider", "microsoft", "--access-token", "T" };
        args.AddRange([option, value]);

        var result = await CliRunner.RunAsync([.. args]);

        result.AssertBadInput(option, value, explanation);
    }

    private static Task<CliResult> FetchAsync(string provider, string baseUrl, string? state)
    {
        var args = new List<string> { "fetch", "--provider", provider, "--access-token", "T", "--base-url", baseUrl, "--from", "2016-01-01", "--to", "2026-12-31" };
        if (state is not null)
        {
            args.AddRange(["--state", state]);
        }

        return CliRunner.RunAsync([.. args]);
    }
}
