using Grpc.Core;

namespace GrpcDvc.LookupLoad;

/// <summary>One caller's latencies (Stopwatch ticks) and failures; merged after the run, so no locking.</summary>
internal sealed class CallSamples
{
    public List<long> Latencies { get; } = new(capacity: 100_000);

    public Dictionary<StatusCode, int> Failures { get; } = [];

    public void Succeeded(long ticks) => Latencies.Add(ticks);

    public void Failed(StatusCode code) => Failures[code] = Failures.GetValueOrDefault(code) + 1;

    /// <summary>A refusal that is an answer (the booking storm times those too: a quick "full" is the point).</summary>
    public void Answered(long ticks, StatusCode code)
    {
        Latencies.Add(ticks);
        Failed(code);
    }
}
