using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Peers;

/// <summary>
/// Deadlines and cancellation from Python grpcio, checked on both ends: the status the client got,
/// and what the server-side handler saw through its cancellation token.
/// </summary>
public sealed class PythonDeadlineTests(InProcessServerFixture fixture) : IClassFixture<InProcessServerFixture>, IDisposable
{
    private static readonly TimeSpan ObservationWait = TimeSpan.FromSeconds(15);
    private readonly string _descriptorSet = DescriptorSets.Write(ProbeReflection.Descriptor);

    [Fact]
    public async Task Sleep_PythonTimeoutPasses_ClientGetsDeadlineExceededAndHandlerSeesDeadline()
    {
        var requestId = Guid.NewGuid().ToString("N");

        var result = await PythonPeer.RunAsync(fixture.GrpcTarget, _descriptorSet, "deadline", requestId, "0.3");

        Assert.Equal("DEADLINE_EXCEEDED", result.GetProperty("status").GetString());
        var seen = await CancellationObservations.WaitAsync(requestId, ObservationWait);
        Assert.NotEqual(DateTime.MaxValue, seen.Deadline);
        Assert.Equal(CancellationCause.DeadlinePassed, seen.Cause);
    }

    [Fact]
    public async Task Sleep_PythonCancelsFuture_ClientGetsCancelledAndHandlerSeesClientCancel()
    {
        var requestId = Guid.NewGuid().ToString("N");

        var result = await PythonPeer.RunAsync(fixture.GrpcTarget, _descriptorSet, "cancel", requestId, "0.2");

        Assert.Equal("CANCELLED", result.GetProperty("status").GetString());
        Assert.True(result.GetProperty("cancel_accepted").GetBoolean());
        var seen = await CancellationObservations.WaitAsync(requestId, ObservationWait);
        // The call carried a 30 s deadline, so the handler must tell a cancel apart from a deadline.
        Assert.NotEqual(DateTime.MaxValue, seen.Deadline);
        Assert.Equal(CancellationCause.ClientCancelled, seen.Cause);
    }

    public void Dispose() => File.Delete(_descriptorSet);
}
