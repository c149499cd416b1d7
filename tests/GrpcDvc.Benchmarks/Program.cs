using System.Globalization;
using GrpcDvc.Benchmarks;

// Bench host for run.sh: serves one target until SIGTERM. Once it answers correctly it writes
// the request bodies for h2load and "<target>.ready" (port, pid, expected response sizes) to --work.
var settings = BenchSettings.Parse(args);
using var sampler = settings.AllocationProfile is null ? null : new AllocationSampler();
var workload = new BenchWorkload(settings.PayloadBytes, settings.StreamCount);
await using var host = BenchHost.Build(settings, workload);
await host.App.StartAsync();
var address = new Uri($"http://127.0.0.1:{host.Port}");
await SelfCheck.RunAsync(address, workload);

var target = settings.Target.ToString().ToLowerInvariant();
Directory.CreateDirectory(settings.WorkDir);
await File.WriteAllBytesAsync(Path.Combine(settings.WorkDir, $"{target}-unary.bin"), workload.EchoRequestBody);
await File.WriteAllBytesAsync(Path.Combine(settings.WorkDir, $"{target}-stream.bin"), workload.StreamRequestBody);
var ready = Path.Combine(settings.WorkDir, $"{target}.ready");
await File.WriteAllLinesAsync(ready + ".tmp",
[
    $"port={host.Port}",
    $"pid={Environment.ProcessId}",
    $"unary_response_bytes={workload.EchoResponseBody.Length}",
    $"stream_response_bytes={workload.StreamResponseBody.Length}",
    string.Create(CultureInfo.InvariantCulture, $"server_gc={System.Runtime.GCSettings.IsServerGC}"),
]);
var stats = ProcessStats.WriteEveryTenthSecondAsync(Path.Combine(settings.WorkDir, $"{target}.stats"), host.App.Lifetime.ApplicationStopping);
File.Move(ready + ".tmp", ready, overwrite: true); // the driver polls for this file: it appears complete.
Console.WriteLine($"bench host ({target}) ready on {address}, pid {Environment.ProcessId}");
await host.App.WaitForShutdownAsync();
await stats;
sampler?.WriteTo(settings.AllocationProfile!);
