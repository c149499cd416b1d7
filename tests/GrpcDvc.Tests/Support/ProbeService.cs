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

    public async Task Repeat(RepeatRequest request, IServerStreamWriter<EchoResponse> responses, ServerCallContext context)
    {
        await context.WriteResponseHeadersAsync(new Metadata { { "x-probe-count", request.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
        for (var i = 1; i <= request.Count; i++)
        {
            await responses.WriteAsync(new EchoResponse { Text = $"{request.Text} {i}" });
        }

        if (request.HoldOpen)
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        context.ResponseTrailers.Add("x-probe-done", "yes");
        context.ResponseTrailers.Add("x-probe-raw-bin", [0xff, 0x00, 0x0d, 0x0a]);
    }

    public async Task<EchoResponse> Collect(IAsyncStreamReader<EchoRequest> requests, ServerCallContext context)
    {
        var texts = new List<string>();
        await foreach (var request in requests.ReadAllAsync(context.CancellationToken))
        {
            texts.Add(request.Text);
        }

        return new EchoResponse { Text = string.Join(" ", texts) };
    }
}
