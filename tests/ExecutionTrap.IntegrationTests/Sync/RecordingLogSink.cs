using System.Collections.Concurrent;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace ExecutionTrap.IntegrationTests.Sync;

/// <summary>A Serilog sink in the host's own pipeline: every event, rendered, with its properties and exception.</summary>
internal sealed class RecordingLogSink : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public void Emit(LogEvent logEvent)
    {
        var properties = string.Join(" ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}"));
        _lines.Enqueue($"{logEvent.Level}: {logEvent.RenderMessage(CultureInfo.InvariantCulture)} | {properties} | {logEvent.Exception}");
    }
}
