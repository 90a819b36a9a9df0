using System.Globalization;
using System.Text.Json.Nodes;
using ExecutionTrap.IntegrationTests.Sync;

namespace ExecutionTrap.IntegrationTests.Security;

/// <summary>Calendar v3 events pages written for a test, in the shape of the recorded fixtures.</summary>
internal static class GoogleEvents
{
    public static JsonObject Event(string id, string title, DateTimeOffset start, int minutes = 60) =>
        Event(id, title, start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), start.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));

    public static JsonObject Event(string id, string title, string start, string end) => new()
    {
        ["kind"] = "calendar#event",
        ["id"] = id,
        ["status"] = "confirmed",
        ["summary"] = title,
        ["organizer"] = new JsonObject { ["email"] = "dana@contoso.example", ["self"] = true },
        ["start"] = new JsonObject { ["dateTime"] = start },
        ["end"] = new JsonObject { ["dateTime"] = end },
    };

    public static JsonObject Cancelled(string id) => new() { ["kind"] = "calendar#event", ["id"] = id, ["status"] = "cancelled" };

    /// <summary>A last page: it ends the read with <paramref name="syncToken"/>.</summary>
    public static ProviderAnswer Page(string syncToken, params JsonObject[] items) =>
        ProviderReplayServer.Json(new JsonObject
        {
            ["kind"] = "calendar#events",
            ["summary"] = "dana@contoso.example",
            ["timeZone"] = "UTC",
            ["nextSyncToken"] = syncToken,
            ["items"] = new JsonArray([.. items]),
        }.ToJsonString());
}
