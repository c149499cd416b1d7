using GrpcDvc.Client;
using GrpcDvc.Grpc.Wire;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;
using static GrpcDvc.Tests.Client.ProbeServerFixture;

namespace GrpcDvc.Tests.Client;

/// <summary>Deadlines and cancellation end calls on both sides with the statuses gRPC defines.</summary>
public sealed class DeadlineAndCancellationTests(ProbeServerFixture fixture) : IClassFixture<ProbeServerFixture>
{
    private ProbeServiceClient Probe => fixture.Probe;

    [Fact]
    public async Task Deadline_ServerNeverAnswers_CallEndsDeadlineExceeded_AndTheServerIsTold()
    {
        var tag = Guid.NewGuid().ToString();
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Guard(Probe.HangAsync(new HangRequest { Tag = tag }, new CallOptions { Timeout = TimeSpan.FromMilliseconds(300) })));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        var serverDeadline = await Guard(ProbeService.HangEnded(tag));
        Assert.NotEqual(DateTime.MaxValue, serverDeadline);
    }

    [Fact]
    public async Task Deadline_AlreadyPassed_FailsAtOnceWithDeadlineExceeded()
    {
        using var call = fixture.Server.Channel.AsyncUnaryCall(
            ProbeServiceClient.Methods.Echo, new EchoRequest(), new CallOptions { Deadline = DateTime.UnixEpoch });

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal(StatusCode.DeadlineExceeded, call.GetStatus().Code);
    }

    [Fact]
    public async Task Deadline_InTheFuture_IsSentToTheServer()
    {
        var with = await Probe.InspectAsync(new InspectRequest(), new CallOptions { Timeout = TimeSpan.FromMinutes(5) });
        var without = await Probe.InspectAsync(new InspectRequest());

        Assert.True(with.HasDeadline);
        Assert.False(without.HasDeadline);
    }

    [Fact]
    public async Task Deadline_OnAStream_EndsTheReaderWithDeadlineExceeded()
    {
        using var call = Probe.Chat(new CallOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        await Guard(call.RequestStream.WriteAsync(new EchoRequest { Text = "one" }));
        Assert.True(await Guard(call.ResponseStream.MoveNext(CancellationToken.None)));

        // The request stream stays open, so only the deadline can end the call.
        var ex = await Assert.ThrowsAsync<RpcException>(() => Guard(call.ResponseStream.MoveNext(CancellationToken.None)));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task Cancellation_WhileServerWaits_CallEndsCancelled_AndTheServerSeesTheReset()
    {
        var tag = Guid.NewGuid().ToString();
        using var cts = new CancellationTokenSource();
        using var call = fixture.Server.Channel.AsyncUnaryCall(
            ProbeServiceClient.Methods.Hang, new HangRequest { Tag = tag }, new CallOptions { CancellationToken = cts.Token });
        await Guard(call.ResponseHeadersAsync);

        await cts.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => Guard(call.ResponseAsync));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.Equal(DateTime.MaxValue, await Guard(ProbeService.HangEnded(tag)));
    }

    [Fact]
    public async Task Cancellation_BeforeTheCall_FailsAtOnceWithCancelled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Probe.EchoAsync(new EchoRequest(), new CallOptions { CancellationToken = cts.Token }));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
    }

    [Fact]
    public async Task Cancellation_OfOneRead_CancelsTheWholeStream()
    {
        using var call = Probe.Chat();
        using var cts = new CancellationTokenSource();
        var read = call.ResponseStream.MoveNext(cts.Token);

        await cts.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => Guard(read));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().Code);
    }

    [Fact]
    public async Task Dispose_OfARunningCall_ResetsTheStream_AndTheServerSeesIt()
    {
        var tag = Guid.NewGuid().ToString();
        var call = fixture.Server.Channel.AsyncUnaryCall(ProbeServiceClient.Methods.Hang, new HangRequest { Tag = tag });
        await Guard(call.ResponseHeadersAsync);

        call.Dispose();

        await Guard(ProbeService.HangEnded(tag));
        var ex = await Assert.ThrowsAsync<RpcException>(() => Guard(call.ResponseAsync));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
    }

    [Fact]
    public async Task Status_WhileTheCallRuns_IsNotAvailableYet()
    {
        var tag = Guid.NewGuid().ToString();
        using var call = fixture.Server.Channel.AsyncUnaryCall(ProbeServiceClient.Methods.Hang, new HangRequest { Tag = tag });
        await Guard(call.ResponseHeadersAsync);

        Assert.Throws<InvalidOperationException>(() => call.GetStatus());
        Assert.Throws<InvalidOperationException>(() => call.GetTrailers());
    }
}
