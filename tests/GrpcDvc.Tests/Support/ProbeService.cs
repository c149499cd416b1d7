using GrpcDvc.Grpc;
using GrpcDvc.Tests.Probe;

namespace GrpcDvc.Tests.Support;

/// <summary>Handlers of the test-only dvc.testing.v1.ProbeService.</summary>
public sealed class ProbeService
{
    public const string Secret = "connection string with password=hunter2";

    public Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context)
        => Task.FromResult(new EchoResponse { Text = request.Text, Payload = request.Payload });

    public Task<EchoResponse> Fail(EchoRequest request, ServerCallContext context)
        => throw new InvalidOperationException(Secret);
}
