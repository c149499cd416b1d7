using System.Diagnostics;
using System.Diagnostics.Metrics;
using GrpcDvc.Grpc.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GrpcDvc.Grpc.Internal;

/// <summary>
/// One structured log line per call and the call metrics, published on the "GrpcDvc.Grpc" meter
/// (read them with `dotnet-counters monitor --counters GrpcDvc.Grpc -p PID`).
/// </summary>
public sealed partial class CallTelemetry : IDisposable
{
    public const string MeterName = "GrpcDvc.Grpc";

    // Status codes boxed once, so tagging a call's metrics allocates nothing for the usual codes.
    private static readonly object[] BoxedCodes = [.. Enumerable.Range(0, 17).Select(code => (object)code)];

    private readonly Meter _meter;
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;
    private readonly ILogger _logger;

    public CallTelemetry(IMeterFactory meterFactory, ILogger<CallTelemetry> logger)
    {
        _logger = logger;
        _meter = meterFactory.Create(MeterName);
        _calls = _meter.CreateCounter<long>("grpc.server.calls", unit: "{call}", description: "Completed calls by method and status.");
        _duration = _meter.CreateHistogram<double>("grpc.server.call.duration", unit: "ms", description: "Call duration by method and status.");
    }

    internal void CallEnded(string method, StatusCode status, long startedTimestamp, HttpContext http)
    {
        var elapsed = Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds;
        var tags = new TagList { { "rpc.method", method }, { "rpc.grpc.status_code", BoxedCode(status) } };
        _calls.Add(1, tags);
        _duration.Record(elapsed, tags);
        // The peer and request id are strings built per call: only build them when the line is written.
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var peer = http.Connection.RemoteIpAddress is { } ip ? $"{ip}:{http.Connection.RemotePort}" : "unknown";
            CallCompleted(_logger, method, status, elapsed, peer, http.TraceIdentifier);
        }
    }

    public void Dispose() => _meter.Dispose();

    private static object BoxedCode(StatusCode status)
        => (uint)status < (uint)BoxedCodes.Length ? BoxedCodes[(int)status] : (int)status;

    [LoggerMessage(EventId = 10, Level = LogLevel.Information,
        Message = "gRPC {Method} ended {Status} in {ElapsedMs:F1} ms (peer {Peer}, request {RequestId})")]
    private static partial void CallCompleted(ILogger logger, string method, StatusCode status, double elapsedMs, string peer, string requestId);
}
