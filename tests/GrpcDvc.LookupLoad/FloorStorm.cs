using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;

namespace GrpcDvc.LookupLoad;

/// <summary>
/// The floor under a booking storm: the same number of calls from the same callers on the same channel,
/// each one grpc.health.v1.Health/Check, which reads no database and needs no sign-in. Whatever latency
/// this shows is the machine's, HTTP/2's, Kestrel's and grpc-dotnet's (and the driver's own): no booking
/// can answer faster at that concurrency on that machine. The request is the empty HealthCheckRequest and
/// the answer is not decoded, so the driver needs no generated health client.
/// </summary>
internal static class FloorStorm
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    private static readonly Method<byte[], byte[]> Check = new(MethodType.Unary, "grpc.health.v1.Health", "Check", Bytes, Bytes);

    public static async Task<int> RunAsync(GrpcChannel channel, LoadOptions options)
    {
        var invoker = channel.CreateCallInvoker();
        var callers = options.Callers.Max();
        // As many calls first, unrecorded: the booking scenarios too meet a server that has been running.
        await StormAsync(invoker, callers, options.Attempts);
        var cpu = CpuMeter.Parse(options.CpuPids);
        var before = cpu?.Read();
        var (elapsed, samples) = await StormAsync(invoker, callers, options.Attempts);
        var after = cpu?.Read();
        var all = LevelResult.From(callers, elapsed, samples);
        Console.WriteLine("callers\tcalls\tcalls_per_s\tp50_ms\tp99_ms\tfailures" + string.Concat((cpu?.Names ?? []).Select(n => $"\t{n}_cpu_ms")));
        Console.WriteLine(all + (cpu is null ? "" : $"\t{CpuMeter.PerCall(before!, after!, all.Calls)}"));
        return 0;
    }

    private static async Task<(TimeSpan Elapsed, CallSamples[] Samples)> StormAsync(CallInvoker invoker, int callers, int attempts)
    {
        var left = attempts;
        var started = Stopwatch.GetTimestamp();
        var samples = await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            var results = new CallSamples();
            while (Interlocked.Decrement(ref left) >= 0)
            {
                var before = Stopwatch.GetTimestamp();
                try
                {
                    await invoker.AsyncUnaryCall(Check, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)), []);
                    results.Succeeded(Stopwatch.GetTimestamp() - before);
                }
                catch (RpcException e)
                {
                    results.Failed(e.StatusCode);
                }
            }

            return results;
        })));
        return (Stopwatch.GetElapsedTime(started), samples);
    }
}
