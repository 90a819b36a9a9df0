using System.Globalization;
using System.Text;
using System.Text.Json;
using NodaTime;

namespace ExecutionTrap.LoadHarness.Provider;

/// <summary>
/// N leaders with E events each, made up the same way every time: events sit in one-hour weekday
/// slots over the seven weeks before this one, this week and the next (all inside the app's default
/// sync window of 8 weeks back and 2 ahead), so the weekly report finds last week filled.
/// </summary>
internal sealed class SyntheticCalendar
{
    private const int Weeks = 9;
    private const int SlotsPerWeek = 50;

    private static readonly string[] Subjects =
    [
        "Weekly status", "Sprint review", "Release go/no-go", "Incident review: checkout outage", "Escalation: key account renewal",
        "Budget approval", "Ops sync", "Quarterly strategy offsite prep", "Product vision workshop", "Market entry options",
        "1:1 with direct report", "Coaching session", "Career conversation", "Hiring debrief", "Fix production outage",
        "Customer complaint call", "Roadmap planning", "Board deck review", "Team retrospective", "Vendor contract review",
    ];

    private readonly string[] _accessTokens;
    private readonly Dictionary<string, int> _leaderByToken;

    public SyntheticCalendar(int leaders, int eventsPerLeader, int leadersPerTenant, Instant now)
    {
        Leaders = leaders;
        EventsPerLeader = eventsPerLeader;
        LeadersPerTenant = leadersPerTenant;
        var today = now.InUtc().Date;
        FirstMonday = today.PlusDays(1 - (int)today.DayOfWeek).PlusWeeks(-(Weeks - 2));
        _accessTokens = new string[leaders];
        _leaderByToken = new Dictionary<string, int>(leaders, StringComparer.Ordinal);
        for (var i = 0; i < leaders; i++)
        {
            _accessTokens[i] = MakeAccessToken(TenantOf(i), i);
            _leaderByToken[_accessTokens[i]] = i;
        }
    }

    public int Leaders { get; }

    public int EventsPerLeader { get; }

    public int LeadersPerTenant { get; }

    public LocalDate FirstMonday { get; }

    public long TotalEvents => (long)Leaders * EventsPerLeader;

    public string TenantOf(int leader) => $"tenant-{leader / LeadersPerTenant:D4}";

    public static string RefreshToken(int leader) => $"rt-{leader.ToString(CultureInfo.InvariantCulture)}";

    public static int? LeaderOfRefreshToken(string? refreshToken) =>
        refreshToken is { Length: > 3 } && refreshToken.StartsWith("rt-", StringComparison.Ordinal)
            && int.TryParse(refreshToken.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var leader) ? leader : null;

    public string AccessToken(int leader) => _accessTokens[leader];

    public int? LeaderOfAccessToken(string? accessToken) =>
        accessToken is not null && _leaderByToken.TryGetValue(accessToken, out var leader) ? leader : null;

    public static string EventId(int leader, int index) => $"L{leader:D6}-E{index:D5}";

    /// <summary>Writes event <paramref name="index"/> of <paramref name="leader"/> as a Graph event.</summary>
    public void WriteEvent(Utf8JsonWriter json, int leader, int index)
    {
        var week = index % Weeks;
        var slot = (index / Weeks) % SlotsPerWeek;
        var day = FirstMonday.PlusWeeks(week).PlusDays(slot / 10);
        var start = day.At(new LocalTime(8 + (slot % 10), 0));
        var minutes = (leader + index) % 3 == 0 ? 30 : 60;
        var end = start.PlusMinutes(minutes);
        var subject = Subjects[(leader * 7 + index) % Subjects.Length];
        var attendees = 2 + ((leader + (index * 3)) % 6);
        var isOrganizer = index % 4 == 0;

        json.WriteStartObject();
        json.WriteString("@odata.etag", $"W/\"{leader}-{index}\"");
        json.WriteString("id", EventId(leader, index));
        json.WriteString("subject", subject);
        json.WriteString("bodyPreview", "");
        json.WriteBoolean("isAllDay", false);
        json.WriteBoolean("isCancelled", false);
        json.WriteBoolean("isOrganizer", isOrganizer);
        json.WriteString("showAs", "busy");
        json.WriteString("sensitivity", "normal");
        json.WriteString("type", "singleInstance");
        json.WriteStartObject("responseStatus");
        json.WriteString("response", isOrganizer ? "organizer" : "accepted");
        json.WriteEndObject();
        WriteTime(json, "start", start);
        WriteTime(json, "end", end);
        json.WriteStartArray("categories");
        json.WriteEndArray();
        json.WriteStartObject("organizer");
        WriteAddress(json, $"organizer{(isOrganizer ? leader : index % 50)}@{TenantOf(leader)}.example");
        json.WriteEndObject();
        json.WriteStartArray("attendees");
        for (var a = 0; a < attendees; a++)
        {
            json.WriteStartObject();
            json.WriteString("type", "required");
            json.WriteStartObject("status");
            json.WriteString("response", "accepted");
            json.WriteEndObject();
            WriteAddress(json, $"person{(index + a) % 40}@{TenantOf(leader)}.example");
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, LocalDateTime time)
    {
        json.WriteStartObject(name);
        json.WriteString("dateTime", time.ToString("uuuu-MM-dd'T'HH:mm:ss'.0000000'", CultureInfo.InvariantCulture));
        json.WriteString("timeZone", "UTC");
        json.WriteEndObject();
    }

    private static void WriteAddress(Utf8JsonWriter json, string address)
    {
        json.WriteStartObject("emailAddress");
        json.WriteString("name", address[..address.IndexOf('@', StringComparison.Ordinal)]);
        json.WriteString("address", address);
        json.WriteEndObject();
    }

    // Shaped like a JWT, so the app's per-tenant request limiter reads the tid claim as it would from Microsoft.
    private static string MakeAccessToken(string tenant, int leader)
    {
        static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{Encode($"{{\"tid\":\"{tenant}\",\"oid\":\"leader-{leader}\"}}")}.harness";
    }
}
