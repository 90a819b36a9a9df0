using ExecutionTrap.Calendars;
using ExecutionTrap.Calendars.Ics;
using ExecutionTrap.Domain.Calendars;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Calendars.Ics;

/// <summary>
/// A host with only <c>AddCalendars()</c>, configured in memory: the ICS source with the options,
/// HTTP client and resilience the service gets.
/// </summary>
internal static class IcsTestHost
{
    /// <summary>Files (as the CLI reads them) and feeds on loopback (as an intranet operator allows them).</summary>
    private static readonly KeyValuePair<string, string?>[] LocalFeeds =
        [new("Calendars:Ics:AllowLocalFiles", "true"), .. Support.LocalFeeds.Settings];

    public static IHost Build(params (string Key, string Value)[] settings) => Builder(settings).Build();

    public static HostApplicationBuilder Builder(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // These tests read files and feeds served on loopback, as an operator allows for an intranet;
        // a setting given by the test wins.
        var all = new Dictionary<string, string?>(LocalFeeds);
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(all);
        builder.AddCalendars();
        return builder;
    }

    // Built from the container rather than taken from IEnumerable<ICalendarSource>: the Graph and
    // Google sources registered beside it need storage services this host does not have.
    public static ICalendarSource IcsSource(this IHost host) => ActivatorUtilities.CreateInstance<IcsCalendarSource>(host.Services);

    public static CalendarReadRequest Request(string address, Interval window, string? cursor = null, string? owner = null) =>
        new(Guid.NewGuid(), address, window, cursor, owner);

    public static async Task<List<CalendarPage>> ReadAllAsync(this ICalendarSource source, CalendarReadRequest request)
    {
        var pages = new List<CalendarPage>();
        await foreach (var page in source.ReadAsync(request, CancellationToken.None))
        {
            pages.Add(page);
        }

        return pages;
    }
}
