using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Web.Hosting;
using ExecutionTrap.Web.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;

namespace ExecutionTrap.UnitTests.Web.Jobs;

public sealed class LimitedCalendarSourceTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    [Fact]
    public async Task ReadAsync_WaitsForAFreeSlot_WhenTheProviderIsAtItsCap()
    {
        var inner = new GatedSource(CalendarProvider.Microsoft);
        var source = Limited(inner, cap: 1);
        var first = ReadAllAsync(source);
        await inner.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));

        var second = ReadAllAsync(source);
        await Task.Delay(200);
        var startsWhileFull = inner.Starts;
        inner.Release.SetResult();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(1, startsWhileFull);
        Assert.Equal(2, inner.Starts);
    }

    [Fact]
    public async Task ReadAsync_CountsAPagesEvents_OnlyOnceTheSyncAsksForTheNextPage()
    {
        var inner = new GatedSource(CalendarProvider.Ics);
        inner.Release.SetResult();
        var counted = new List<long>();
        using var listener = Listen(counted, _services.GetRequiredService<IMeterFactory>());
        var source = Limited(inner, cap: 4);

        await using var pages = source.ReadAsync(Request(), CancellationToken.None).GetAsyncEnumerator();
        await pages.MoveNextAsync();
        var beforeStored = counted.Sum();
        await pages.MoveNextAsync();

        Assert.Equal(0, beforeStored);
        Assert.Equal(3, counted.Sum());
    }

    public void Dispose() => _services.Dispose();

    private LimitedCalendarSource Limited(ICalendarSource inner, int cap)
    {
        var options = Options.Create(new JobsOptions { ProviderConcurrency = { [inner.Provider] = cap } });
        return new LimitedCalendarSource(inner, new ProviderSyncLimiter(options), new ExecutionTrapMetrics(_services.GetRequiredService<IMeterFactory>()));
    }

    private static async Task ReadAllAsync(LimitedCalendarSource source)
    {
        await foreach (var _ in source.ReadAsync(Request(), CancellationToken.None))
        {
        }
    }

    private static CalendarReadRequest Request() =>
        new(Guid.NewGuid(), "calendar", new Interval(Instant.FromUtc(2026, 11, 1, 0, 0), Instant.FromUtc(2026, 12, 1, 0, 0)), null, null);

    // Only this test's meters: the listener would otherwise hear every meter in the process.
    private static MeterListener Listen(List<long> counted, IMeterFactory factory)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "etrap.events.synced" && instrument.Meter.Scope == factory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => counted.Add(value));
        listener.Start();
        return listener;
    }

    private sealed class GatedSource(CalendarProvider provider) : ICalendarSource
    {
        private int _starts;

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Starts => Volatile.Read(ref _starts);

        public CalendarProvider Provider => provider;

        public async IAsyncEnumerable<CalendarPage> ReadAsync(CalendarReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _starts);
            Started.TrySetResult();
            await Release.Task;
            yield return new CalendarPage([], ["a", "b", "c"], "cursor-1", IsLastPage: true, IsFullRead: false);
        }
    }
}
