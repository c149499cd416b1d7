using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GrpcDvc.Tests.Logging;

/// <summary>
/// A logger provider that keeps every entry a host writes (at the levels its filters let through),
/// with the structured properties, so a test can check what reached the logging pipeline.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();

    public IReadOnlyList<CapturedLogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
                : [];
            entries.Enqueue(new CapturedLogEntry(category, logLevel, eventId, formatter(state, exception), exception, properties));
        }
    }
}

/// <summary>One log entry as written: its rendered message, exception and structured properties.</summary>
public sealed record CapturedLogEntry(
    string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Properties)
{
    /// <summary>Everything a log store would index: message, exception (with inner ones and stack) and property values.</summary>
    public string AllText => string.Join('\n', [Message, Exception?.ToString() ?? "", .. Properties.Values.Select(v => v?.ToString() ?? "")]);
}
