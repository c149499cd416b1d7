using System.Diagnostics.Metrics;
using GrpcDvc.Grpc.Internal;
using GrpcDvc.Grpc.Wire;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Grpc;

public sealed class TelemetryTests
{
    [Fact]
    public async Task EachCall_WritesOneStructuredLogLine_WithMethodStatusDurationPeerAndRequestId()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await MiniGrpcHost.StartAsync(logs: logs);

        await new ProbeServiceClient(host.Channel).EchoAsync(new EchoRequest());
        await Assert.ThrowsAsync<RpcException>(() => new ProbeServiceClient(host.Channel).FailAsync(new EchoRequest()));

        var lines = logs.Entries.Where(e => e.Category.EndsWith(nameof(CallTelemetry), StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        var ok = lines[0].State.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("/dvc.testing.v1.ProbeService/Echo", ok["Method"]);
        Assert.Equal(StatusCode.OK, ok["Status"]);
        Assert.IsType<double>(ok["ElapsedMs"]);
        Assert.StartsWith("127.0.0.1:", (string)ok["Peer"]!, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string?)ok["RequestId"]));
        Assert.Equal(StatusCode.Unknown, lines[1].State.Single(p => p.Key == "Status").Value);
    }

    [Fact]
    public async Task Calls_AreCountedAndTimed_OnTheGrpcDvcMeter()
    {
        var measurements = new List<(string Instrument, string Method, int Status)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CallTelemetry.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            string method = string.Empty;
            var status = -1;
            foreach (var tag in tags)
            {
                if (tag.Key == "rpc.method")
                {
                    method = (string)tag.Value!;
                }
                else if (tag.Key == "rpc.grpc.status_code")
                {
                    status = (int)tag.Value!;
                }
            }

            lock (measurements)
            {
                measurements.Add((instrument.Name, method, status));
            }
        }

        listener.SetMeasurementEventCallback<long>(Record);
        listener.SetMeasurementEventCallback<double>(Record);
        listener.Start();
        await using var host = await MiniGrpcHost.StartAsync();

        await new ProbeServiceClient(host.Channel).EchoAsync(new EchoRequest());

        lock (measurements)
        {
            Assert.Contains(("grpc.server.calls", "/dvc.testing.v1.ProbeService/Echo", 0), measurements);
            Assert.Contains(("grpc.server.call.duration", "/dvc.testing.v1.ProbeService/Echo", 0), measurements);
        }
    }
}
