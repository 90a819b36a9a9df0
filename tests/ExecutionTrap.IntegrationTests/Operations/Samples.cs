using System.Net.Http.Json;

namespace ExecutionTrap.IntegrationTests.Operations;

/// <summary>The repository's sample calendar and the API calls the tests make with it.</summary>
internal static class Samples
{
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ExecutionTrap.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ExecutionTrap.sln above {AppContext.BaseDirectory}.");
    }

    public static string LeaderMonthIcs() => Path.Combine(RepositoryRoot(), "samples", "leader-month.ics");

    /// <summary>How configuration names the shipped sample calendar (Onboarding:Leaders:n:Calendars).</summary>
    public const string LeaderMonthSample = "sample:leader-month.ics";

    /// <summary>Connects the sample calendar through the API as the signed-in leader (which enqueues its sync) and returns the connection's id.</summary>
    public static async Task<Guid> ConnectSampleCalendarAsync(HttpClient client)
    {
        // The shipped sample through its own endpoint: the API never reads a file on the server.
        using var response = await client.PostAsync("/api/connections/sample", null);
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<ConnectionView>();
        return created!.Id;
    }

    /// <summary>Waits until the connection's sync has stored its last page.</summary>
    public static async Task<ConnectionView> WaitUntilSyncedAsync(HttpClient client, Guid connectionId, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var connection = await client.GetFromJsonAsync<ConnectionView>($"/api/connections/{connectionId}");
            if (connection!.LastSyncedAt is not null)
            {
                return connection;
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Connection {connectionId} was not synced within {timeout.TotalSeconds} s (status {connection.Status}, error {connection.LastError}).");
            }

            await Task.Delay(250, CancellationToken.None);
        }
    }

    internal sealed record ConnectionView(Guid Id, string Status, DateTimeOffset? LastSyncedAt, string? LastError);
}
