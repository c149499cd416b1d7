using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace GrpcDvc.Tests.Hardening;

/// <summary>One HTTP/2 frame as read off the wire.</summary>
internal sealed record Http2Frame(byte Type, byte Flags, int StreamId, byte[] Payload)
{
    public const byte Data = 0x0, Headers = 0x1, RstStream = 0x3, Settings = 0x4, Ping = 0x6, GoAway = 0x7, WindowUpdate = 0x8;

    /// <summary>The error code of RST_STREAM (payload 0–3) or GOAWAY (payload 4–7).</summary>
    public uint ErrorCode => Type switch
    {
        RstStream => BinaryPrimitives.ReadUInt32BigEndian(Payload),
        GoAway => BinaryPrimitives.ReadUInt32BigEndian(Payload.AsSpan(4)),
        _ => 0,
    };
}

/// <summary>
/// A hand-driven h2c connection on a raw socket: a client that does exactly what a test wants (connects
/// and says nothing, sends the preface and idles, opens more streams than allowed, never reads) and no
/// more: no automatic WINDOW_UPDATE, so a server writing to it is held by flow control.
/// </summary>
internal sealed class RawHttp2 : IAsyncDisposable
{
    public const uint RefusedStream = 0x7;

    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly int _port;

    private RawHttp2(Socket socket, int port)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _port = port;
    }

    public static async Task<RawHttp2> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, port);
        return new RawHttp2(socket, port);
    }

    /// <summary>The client preface and an empty SETTINGS frame: from here on the connection is HTTP/2.</summary>
    public async Task SendPrefaceAsync()
    {
        await _stream.WriteAsync(Preface);
        await WriteFrameAsync(Http2Frame.Settings, 0, 0, []);
    }

    /// <summary>A gRPC request's headers (POST to <paramref name="path"/>), HPACK literals without indexing.</summary>
    public Task SendHeadersAsync(int streamId, string path, bool endStream = false)
    {
        var block = new List<byte>();
        foreach (var (name, value) in new[]
        {
            (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", $"127.0.0.1:{_port}"),
            ("content-type", "application/grpc"), ("te", "trailers"),
        })
        {
            block.Add(0x00);
            Literal(block, name);
            Literal(block, value);
        }

        // END_HEADERS, and END_STREAM when asked.
        return WriteFrameAsync(Http2Frame.Headers, (byte)(0x4 | (endStream ? 0x1 : 0)), streamId, [.. block]);
    }

    /// <summary>DATA frames of at most 16 KiB (the default SETTINGS_MAX_FRAME_SIZE) carrying <paramref name="data"/>.</summary>
    public async Task SendDataAsync(int streamId, byte[] data, bool endStream)
    {
        for (var offset = 0; offset < data.Length || (offset == 0 && data.Length == 0); offset += 16_384)
        {
            var chunk = data.AsSpan(offset, Math.Min(16_384, data.Length - offset)).ToArray();
            var last = offset + chunk.Length >= data.Length;
            await WriteFrameAsync(Http2Frame.Data, (byte)(last && endStream ? 0x1 : 0), streamId, chunk);
            if (data.Length == 0)
            {
                break;
            }
        }
    }

    public Task SendRawAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    /// <summary>The next frame, or null when the server closed the connection (or reset it).</summary>
    public async Task<Http2Frame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var header = new byte[9];
        if (!await ReadExactlyOrEndAsync(header, cancellationToken))
        {
            return null;
        }

        var length = (header[0] << 16) | (header[1] << 8) | header[2];
        var payload = new byte[length];
        if (!await ReadExactlyOrEndAsync(payload, cancellationToken))
        {
            return null;
        }

        return new Http2Frame(header[3], header[4], (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7FFF_FFFF), payload);
    }

    /// <summary>Reads (and drops) frames until the server closes the connection; false if it is still open after <paramref name="within"/>.</summary>
    public async Task<bool> ClosedByServerWithinAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (await ReadFrameAsync(timeout.Token) is not null)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }

    private async Task WriteFrameAsync(byte type, byte flags, int streamId, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), (uint)streamId);
        payload.CopyTo(frame, 9);
        await _stream.WriteAsync(frame);
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            return false;
        }
    }

    /// <summary>An HPACK string literal, not Huffman-coded: a 7-bit-prefix length, then the bytes.</summary>
    private static void Literal(List<byte> block, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var length = bytes.Length;
        if (length < 127)
        {
            block.Add((byte)length);
        }
        else
        {
            block.Add(127);
            length -= 127;
            while (length >= 128)
            {
                block.Add((byte)((length & 0x7F) | 0x80));
                length >>= 7;
            }

            block.Add((byte)length);
        }

        block.AddRange(bytes);
    }
}
