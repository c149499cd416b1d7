using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace GrpcDvc.Benchmarks;

/// <summary>
/// Profiling aid (--allocation-profile FILE): listens to the runtime's GC AllocationTick events,
/// raised about every 100 KB allocated and naming the type that crossed the mark, and writes the
/// sampled bytes per type at shutdown — enough to see which objects a call allocates most.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);

    public void WriteTo(string path)
    {
        var total = Math.Max(1, _bytesByType.Values.Sum());
        var lines = _bytesByType.OrderByDescending(e => e.Value).Take(60).Select(e => string.Create(CultureInfo.InvariantCulture,
            $"{e.Value * 100.0 / total,5:F1}% {e.Value,14:N0} B  {e.Key}"));
        File.WriteAllLines(path, lines);
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.Payload is null)
        {
            return;
        }

        var names = eventData.PayloadNames!;
        var type = eventData.Payload[names.IndexOf("TypeName")] as string ?? "?";
        var amountAt = names.IndexOf("AllocationAmount64");
        var amount = Convert.ToInt64(eventData.Payload[amountAt >= 0 ? amountAt : names.IndexOf("AllocationAmount")], CultureInfo.InvariantCulture);
        _bytesByType.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }
}
