using System.Collections.Concurrent;
using Grpc.Core;

namespace GrpcDvc.Tests.Support;

/// <summary>Why a handler's cancellation token fired, as the server can tell it.</summary>
public enum CancellationCause
{
    /// <summary>The call's deadline passed (the server's timer, or the client's own a moment earlier).</summary>
    DeadlinePassed,

    /// <summary>The client cancelled (or dropped the connection) while the deadline, if any, was still ahead.</summary>
    ClientCancelled,
}

/// <summary>What ProbeService.Sleep saw when its token fired.</summary>
public sealed record CancellationObservation(string RequestId, CancellationCause Cause, DateTime Deadline, DateTimeOffset FiredAt);

/// <summary>
/// What handlers observed about their cancellation, keyed by a request id the caller chose, for
/// tests that drive a call from another process and then check the server side of it. Static
/// because handlers are created per call by the real server, which tests cannot reach into.
/// </summary>
public static class CancellationObservations
{
    /// <summary>
    /// A client whose own deadline timer fires resets the stream at about the moment the server's
    /// timer would fire — a little earlier even, since the server's deadline counts from when the
    /// headers arrived. A token that fires this close to the deadline fired because of it.
    /// </summary>
    public static readonly TimeSpan DeadlineRaceAllowance = TimeSpan.FromSeconds(1);

    private static readonly ConcurrentDictionary<string, TaskCompletionSource<CancellationObservation>> Calls = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, bool> Running = new(StringComparer.Ordinal);

    /// <summary>Notes that the handler for <paramref name="requestId"/> is running (to explain a wait that times out).</summary>
    public static void Started(string requestId) => Running[requestId] = true;

    /// <summary>Records, at <paramref name="firedAt"/>, why the call's token fired.</summary>
    public static void TokenFired(string requestId, ServerCallContext context, DateTimeOffset firedAt)
    {
        var hadDeadline = context.Deadline != DateTime.MaxValue;
        var cause = hadDeadline && firedAt.UtcDateTime >= context.Deadline - DeadlineRaceAllowance
            ? CancellationCause.DeadlinePassed
            : CancellationCause.ClientCancelled;
        Entry(requestId).TrySetResult(new CancellationObservation(requestId, cause, context.Deadline, firedAt));
    }

    /// <summary>The observation for <paramref name="requestId"/>, waiting at most <paramref name="limit"/> for it.</summary>
    public static async Task<CancellationObservation> WaitAsync(string requestId, TimeSpan limit)
    {
        try
        {
            return await Entry(requestId).Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(Running.ContainsKey(requestId)
                ? $"The handler of {requestId} ran, but its cancellation token did not fire within {limit}."
                : $"No handler ran for {requestId} within {limit}.");
        }
    }

    private static TaskCompletionSource<CancellationObservation> Entry(string requestId)
        => Calls.GetOrAdd(requestId, _ => new TaskCompletionSource<CancellationObservation>(TaskCreationOptions.RunContinuationsAsynchronously));
}
