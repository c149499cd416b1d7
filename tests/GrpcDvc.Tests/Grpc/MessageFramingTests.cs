using System.IO.Pipelines;
using GrpcDvc.Grpc.Wire;
using GrpcDvc.Tests.Probe;

namespace GrpcDvc.Tests.Grpc;

public sealed class MessageFramingTests
{
    [Fact]
    public void Frame_PrefixesFlagAndBigEndianLength()
    {
        var message = new EchoRequest { Text = "xin chào" };
        var framed = MessageFraming.Frame(message);
        var size = message.CalculateSize();

        Assert.Equal(0, framed[0]);
        Assert.Equal(new byte[] { 0, 0, 0, (byte)size }, framed[1..5]);
        Assert.Equal(5 + size, framed.Length);
    }

    [Fact]
    public void Frame_EmptyMessage_IsFiveZeroBytes()
        => Assert.Equal(new byte[5], MessageFraming.Frame(new EchoRequest()));

    [Fact]
    public async Task Read_MessageArrivingByteByByte_IsReassembled()
    {
        var framed = MessageFraming.Frame(new EchoRequest { Text = "Đăng ký tạm trú" });
        var pipe = new Pipe();
        var reading = MessageFraming.ReadMessageAsync(pipe.Reader, 1024, CancellationToken.None).AsTask();
        foreach (var b in framed)
        {
            await pipe.Writer.WriteAsync(new[] { b });
        }

        await pipe.Writer.CompleteAsync();
        var received = await reading;

        Assert.NotNull(received);
        Assert.False(received.Compressed);
        Assert.Equal("Đăng ký tạm trú", EchoRequest.Parser.ParseFrom(received.Payload).Text);
    }

    [Fact]
    public async Task Read_StreamEndingBetweenMessages_ReturnsNull()
        => Assert.Null(await MessageFraming.ReadMessageAsync(Reader([]), 1024, CancellationToken.None));

    [Theory]
    [InlineData(new byte[] { 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 9, 1, 2 })]
    public async Task Read_StreamEndingInsideAFrame_IsInternal(byte[] wire)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => MessageFraming.ReadMessageAsync(Reader(wire), 1024, CancellationToken.None).AsTask());
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Read_LengthOverTheLimit_IsResourceExhaustedBeforeTheBodyArrives()
    {
        // Only the prefix is sent: the limit must be enforced without buffering the body.
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0x10, 0, 1 });
        var ex = await Assert.ThrowsAsync<RpcException>(() => MessageFraming.ReadMessageAsync(pipe.Reader, 1024, CancellationToken.None).AsTask());
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Read_InvalidCompressedFlag_IsInternal()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => MessageFraming.ReadMessageAsync(Reader([2, 0, 0, 0, 0]), 1024, CancellationToken.None).AsTask());
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    private static PipeReader Reader(byte[] bytes) => PipeReader.Create(new MemoryStream(bytes));
}
