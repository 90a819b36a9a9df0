using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ExecutionTrap.IntegrationTests.Calendars.Microsoft;

/// <summary>Keeps every log line, its structured values and exception, to prove what never gets logged.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(_lines);

    public void Dispose()
    {
    }

    private sealed class RecordingLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            lines.Enqueue($"{logLevel}: {formatter(state, exception)} | {values} | {exception}");
        }
    }
}
