using GrpcDvc.Grpc;
using GrpcDvc.Tests.Probe;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Support;

/// <summary>Handlers of the test-only dvc.testing.v1.ProbeService.</summary>
public sealed class ProbeService
{
    public const string Secret = "connection string with password=hunter2";

    public Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context)
        => Task.FromResult(new EchoResponse { Text = request.Text, Payload = request.Payload });

    public Task<EchoResponse> Fail(EchoRequest request, ServerCallContext context)
        => throw new InvalidOperationException(Secret);

    /// <summary>Waits only for the call's token, then records when and why it fired.</summary>
    public async Task<EchoResponse> Sleep(SleepRequest request, ServerCallContext context)
    {
        var clock = context.Services.GetRequiredService<TimeProvider>();
        CancellationObservations.Started(request.RequestId);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, clock, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            CancellationObservations.TokenFired(request.RequestId, context, clock.GetUtcNow());
            throw;
        }

        throw new InvalidOperationException("An infinite wait ended without cancellation.");
    }
}
