using System.Text;
using GrpcDvc.Grpc.Internal;
using GrpcDvc.Grpc.Wire;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Web;

/// <summary>The base64 bodies of application/grpc-web-text, whatever sizes the reads and writes come in.</summary>
public sealed class Base64StreamTests
{
    private static readonly byte[] Data = Encoding.UTF8.GetBytes("Đăng ký thường trú, tạm trú, lưu trú và khai báo tạm vắng");

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(4096)]
    public async Task Request_ChunksWithTheirOwnPaddingAndLineBreaks_DecodeToTheBytesSent(int readSize)
    {
        // Chunks of 1, 2, 4 and the rest of the bytes: "==", "=", none, then whatever is left.
        var text = string.Join("\r\n", Convert.ToBase64String(Data[..1]), Convert.ToBase64String(Data[1..3]),
            Convert.ToBase64String(Data[3..7]), Convert.ToBase64String(Data[7..]));
        using var stream = new Base64RequestStream(new TrickleStream(Encoding.ASCII.GetBytes(text), readSize));

        Assert.Equal(Data, await ReadAllAsync(stream));
    }

    [Theory]
    [InlineData("QQ=")]
    [InlineData("QQ==Q")]
    [InlineData("Q===")]
    [InlineData("QQ-A")]
    public async Task Request_ThatIsNotWholeValidBase64_IsInternal(string text)
    {
        using var stream = new Base64RequestStream(new MemoryStream(Encoding.ASCII.GetBytes(text)));

        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(stream));
        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }

    [Fact]
    public async Task Response_OddSizedWrites_AreWhollyReadableAfterEachFlush()
    {
        var sink = new MemoryStream();
        using var stream = new Base64ResponseStream(sink);
        var written = 0;
        foreach (var size in new[] { 1, 4, 2, 7, 3 })
        {
            await stream.WriteAsync(Data.AsMemory(written, size));
            written += size;
            await stream.FlushAsync();
            // After a flush everything written so far can be decoded: nothing is held back for later.
            Assert.Equal(Data[..written], Base64Chunks.Decode(Encoding.ASCII.GetString(sink.ToArray())));
        }
    }

    [Fact]
    public async Task Response_WritesBetweenFlushes_AreEncodedWithoutInnerPadding()
    {
        var sink = new MemoryStream();
        using var stream = new Base64ResponseStream(sink);

        await stream.WriteAsync(Data.AsMemory(0, 5));
        await stream.WriteAsync(Data.AsMemory(5));
        await stream.FlushAsync();

        Assert.Equal(Convert.ToBase64String(Data), Encoding.ASCII.GetString(sink.ToArray()));
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        var result = new MemoryStream();
        var buffer = new byte[7];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            result.Write(buffer, 0, read);
        }

        return result.ToArray();
    }

    /// <summary>Hands out at most <paramref name="readSize"/> bytes per read, as a slow network would.</summary>
    private sealed class TrickleStream(byte[] data, int readSize) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => base.ReadAsync(buffer[..Math.Min(buffer.Length, readSize)], cancellationToken);
    }
}
