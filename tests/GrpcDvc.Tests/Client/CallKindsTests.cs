using Google.Protobuf;
using GrpcDvc.Client;
using GrpcDvc.Grpc;
using GrpcDvc.Grpc.Wire;
using GrpcDvc.Tests.Probe;
using static GrpcDvc.Tests.Client.ProbeServerFixture;

namespace GrpcDvc.Tests.Client;

/// <summary>The four call kinds through the typed client against the real server.</summary>
public sealed class CallKindsTests(ProbeServerFixture fixture) : IClassFixture<ProbeServerFixture>
{
    private ProbeServiceClient Probe => fixture.Probe;

    [Fact]
    public async Task Unary_Echo_ReturnsTheResponseAndEndsOk()
    {
        using var call = fixture.Server.Channel.AsyncUnaryCall(ProbeServiceClient.Methods.Echo, new EchoRequest { Text = "Căn cước" });

        var response = await call;

        Assert.Equal("Căn cước", response.Text);
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
        Assert.Empty(call.GetTrailers());
    }

    [Fact]
    public async Task Unary_EmptyMessages_RoundTrip()
    {
        var response = await Probe.EchoAsync(new EchoRequest());
        Assert.Equal(new EchoResponse(), response);
    }

    [Fact]
    public async Task ServerStreaming_Count_DeliversEveryMessageInOrderThenEndsOk()
    {
        using var call = Probe.Count(new CountRequest { Count = 5 });

        var texts = await Guard(call.ResponseStream.ReadAllAsync().Select(r => r.Text).ToListAsync().AsTask());

        Assert.Equal(["#1", "#2", "#3", "#4", "#5"], texts);
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
    }

    [Fact]
    public async Task ServerStreaming_ErrorAfterMessages_DeliversThemThenThrowsTheStatus()
    {
        using var call = Probe.Count(new CountRequest { Count = 2, StatusCode = (int)StatusCode.Aborted });

        Assert.True(await Guard(call.ResponseStream.MoveNext(CancellationToken.None)));
        Assert.True(await Guard(call.ResponseStream.MoveNext(CancellationToken.None)));
        var ex = await Assert.ThrowsAsync<RpcException>(() => Guard(call.ResponseStream.MoveNext(CancellationToken.None)));

        Assert.Equal(StatusCode.Aborted, ex.StatusCode);
        Assert.Equal("stopped after 2", ex.Status.Detail);
        Assert.Equal(StatusCode.Aborted, call.GetStatus().Code);
    }

    [Fact]
    public async Task ServerStreaming_NoMessages_EndsOkWithAnEmptyStream()
    {
        using var call = Probe.Count(new CountRequest { Count = 0 });
        Assert.False(await Guard(call.ResponseStream.MoveNext(CancellationToken.None)));
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
    }

    [Fact]
    public async Task ClientStreaming_Collect_JoinsEveryRequestInOrder()
    {
        using var call = Probe.Collect();
        foreach (var part in new[] { "Đăng ", "ký ", "thường ", "trú" })
        {
            await Guard(call.RequestStream.WriteAsync(new EchoRequest { Text = part }));
        }

        await call.RequestStream.CompleteAsync();

        Assert.Equal("Đăng ký thường trú", (await Guard(call.ResponseAsync)).Text);
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
    }

    [Fact]
    public async Task ClientStreaming_NoRequests_StillGetsTheResponse()
    {
        using var call = Probe.Collect();
        await call.RequestStream.CompleteAsync();
        Assert.Equal(string.Empty, (await Guard(call.ResponseAsync)).Text);
    }

    [Fact]
    public async Task ClientStreaming_WriteAfterComplete_IsRefused()
    {
        using var call = Probe.Collect();
        await call.RequestStream.CompleteAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => call.RequestStream.WriteAsync(new EchoRequest()));
    }

    [Fact]
    public async Task Duplex_Chat_AnswersEachRequestBeforeTheNextIsSent()
    {
        using var call = Probe.Chat();
        for (var i = 0; i < 4; i++)
        {
            // The next request is only written after the previous answer arrived: this only
            // completes if the request body streams while the response is being read.
            await Guard(call.RequestStream.WriteAsync(new EchoRequest { Text = $"ping {i}", Payload = ByteString.CopyFrom(new byte[i * 1000]) }));
            Assert.True(await Guard(call.ResponseStream.MoveNext(CancellationToken.None)));
            Assert.Equal($"re: ping {i}", call.ResponseStream.Current.Text);
            Assert.Equal(i * 1000, call.ResponseStream.Current.Payload.Length);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await Guard(call.ResponseStream.MoveNext(CancellationToken.None)));
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
    }

    [Fact]
    public async Task Duplex_ServerEndsWithError_ReaderThrowsItAndWritesAreRefused()
    {
        using var call = Probe.Chat();
        await Guard(call.RequestStream.WriteAsync(new EchoRequest { Text = "abort" }));

        var ex = await Assert.ThrowsAsync<RpcException>(() => Guard(call.ResponseStream.MoveNext(CancellationToken.None)));
        Assert.Equal(StatusCode.Aborted, ex.StatusCode);

        var write = await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(new EchoRequest { Text = "too late" }));
        Assert.Equal(StatusCode.Aborted, write.StatusCode);
    }

    [Fact]
    public async Task Call_WithMethodOfAnotherKind_IsRefusedBeforeSending()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            fixture.Server.Channel.AsyncUnaryCall(ProbeServiceClient.Methods.Count, new CountRequest()));
        Assert.Contains("ServerStreaming", ex.Message, StringComparison.Ordinal);
    }
}
