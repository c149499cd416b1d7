using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;

namespace GrpcDvc.Tests.Faults;

/// <summary>One call under load: which rpc, when it started (since the load began), how long it took, how it ended.</summary>
public sealed record CallOutcome(string Rpc, TimeSpan StartedAt, TimeSpan Latency, StatusCode Status);

/// <summary>
/// Runs every call of a load with a deadline and records how it ended, so a test can ask what
/// happened in a time window (before, during and after a fault) and how long failures took.
/// </summary>
public sealed class CallLog
{
    private readonly ConcurrentQueue<CallOutcome> _outcomes = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public CallLog(TimeSpan deadline) => Deadline = deadline;

    /// <summary>The deadline every call gets.</summary>
    public TimeSpan Deadline { get; }

    /// <summary>Time since the load began.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<CallOutcome> Outcomes => [.. _outcomes];

    /// <summary>"rpc status: count, …", to print what a load saw.</summary>
    public static string Describe(IEnumerable<CallOutcome> calls)
        => string.Join(", ", calls.GroupBy(c => (c.Rpc, c.Status)).OrderBy(g => g.Key.Rpc).ThenBy(g => g.Key.Status).Select(g => $"{g.Key.Rpc} {g.Key.Status}: {g.Count()}"));

    /// <summary>Runs one call with the log's deadline; the reply, or null and the status it failed with.</summary>
    public async Task<(T? Reply, StatusCode Status)> CallAsync<T>(string rpc, Func<CallOptions, AsyncUnaryCall<T>> call, Metadata? headers = null)
        where T : class
    {
        var started = _clock.Elapsed;
        var options = new CallOptions(headers, DateTime.UtcNow + Deadline);
        try
        {
            var reply = await call(options).ResponseAsync;
            _outcomes.Enqueue(new CallOutcome(rpc, started, _clock.Elapsed - started, StatusCode.OK));
            return (reply, StatusCode.OK);
        }
        catch (RpcException e)
        {
            _outcomes.Enqueue(new CallOutcome(rpc, started, _clock.Elapsed - started, e.StatusCode));
            return (null, e.StatusCode);
        }
    }
}
