namespace ExecutionTrap.IntegrationTests.Support;

/// <summary>
/// The operator settings under which a host reads calendar feeds from the tests' own servers on
/// loopback, as an operator would allow an intranet calendar server: plain http, and loopback
/// allow-listed. The default (https, public networks only) refuses them, which the Security tests show.
/// </summary>
internal static class LocalFeeds
{
    public static IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Calendars:Ics:AllowHttp", "true"),
        new("Calendars:Ics:AllowedNetworks:0", "127.0.0.0/8"),
        new("Calendars:Ics:AllowedNetworks:1", "::1"),
    ];

    /// <summary><paramref name="settings"/> with the local-feed settings added (a setting given wins).</summary>
    public static Dictionary<string, string?> With(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return all;
    }
}
