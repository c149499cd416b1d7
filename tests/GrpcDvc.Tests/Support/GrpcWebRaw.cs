using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Grpc.Core;

namespace GrpcDvc.Tests.Support;

/// <summary>
/// Sends hand-made gRPC-Web requests with .NET's HttpClient (HTTP/1.1 unless told otherwise) and
/// takes the response body apart per PROTOCOL-WEB.md, independently of the server's code.
/// </summary>
internal static class GrpcWebRaw
{
    public const string Binary = "application/grpc-web+proto";
    public const string Text = "application/grpc-web-text+proto";

    /// <summary>Posts <paramref name="body"/> as is: for text content types, pass the base64 text's bytes.</summary>
    public static async Task<GrpcWebReply> PostAsync(
        Uri server, string path, byte[] body, string contentType = Binary,
        IReadOnlyDictionary<string, string>? headers = null, Version? version = null, HttpMessageHandler? handler = null)
    {
        using var http = new HttpClient(handler ?? new SocketsHttpHandler());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path))
        {
            Version = version ?? HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("x-grpc-web", "1");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        var raw = await response.Content.ReadAsByteArrayAsync();
        var responseType = response.Content.Headers.ContentType?.MediaType;
        var isText = responseType?.StartsWith("application/grpc-web-text", StringComparison.Ordinal) == true;
        return new GrpcWebReply(
            (int)response.StatusCode,
            response.Version,
            responseType,
            Flatten(response.Headers),
            response.TrailingHeaders.Count(),
            raw,
            Frames(isText ? Base64Chunks.Decode(Encoding.ASCII.GetString(raw)) : raw));
    }

    /// <summary>
    /// Reads the first <paramref name="count"/> frames of a response that is still going on, then
    /// drops the call: they can only arrive if the server streamed them before ending.
    /// </summary>
    public static async Task<List<(byte Flag, byte[] Payload)>> ReadWhileOpenAsync(Uri server, string path, byte[] body, string contentType, int count)
    {
        // A safety net, not a timing assertion: frames held back by the server would otherwise hang the test.
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, giveUp.Token);
        await using var stream = await response.Content.ReadAsStreamAsync(giveUp.Token);
        var isText = contentType.StartsWith(Text, StringComparison.Ordinal);
        var received = new List<byte>();
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var frames = TryFrames(received);
            if (frames.Count >= count)
            {
                return frames[..count];
            }

            var read = await stream.ReadAsync(buffer, giveUp.Token);
            Assert.True(read > 0, $"the response ended after {frames.Count} frames");
            if (isText)
            {
                // Decode whole 4-character groups as they come; a group is never split by a message boundary.
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
                var whole = text.Length / 4 * 4;
                received.AddRange(Base64Chunks.Decode(text.ToString(0, whole)));
                text.Remove(0, whole);
            }
            else
            {
                received.AddRange(buffer.AsSpan(0, read));
            }
        }
    }

    private static List<(byte Flag, byte[] Payload)> TryFrames(List<byte> body)
    {
        var complete = 0;
        var span = body.ToArray();
        while (complete + 5 <= span.Length && complete + 5 + (int)BinaryPrimitives.ReadUInt32BigEndian(span.AsSpan(complete + 1, 4)) <= span.Length)
        {
            complete += 5 + (int)BinaryPrimitives.ReadUInt32BigEndian(span.AsSpan(complete + 1, 4));
        }

        return Frames(span[..complete]);
    }

    /// <summary>Splits a decoded body into (flag, payload) frames; a truncated frame fails the test.</summary>
    public static List<(byte Flag, byte[] Payload)> Frames(byte[] body)
    {
        var frames = new List<(byte, byte[])>();
        var offset = 0;
        while (offset < body.Length)
        {
            Assert.True(body.Length - offset >= 5, "truncated frame header");
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset + 1, 4));
            Assert.True(body.Length - offset - 5 >= length, "truncated frame");
            frames.Add((body[offset], body.AsSpan(offset + 5, length).ToArray()));
            offset += 5 + length;
        }

        return frames;
    }

    private static Dictionary<string, string> Flatten(HttpResponseHeaders headers)
        => headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.Ordinal);
}

internal sealed record GrpcWebReply(
    int HttpStatus, Version HttpVersion, string? ContentType, Dictionary<string, string> Headers,
    int HttpTrailerCount, byte[] RawBody, List<(byte Flag, byte[] Payload)> Frames)
{
    public IEnumerable<byte[]> Messages => Frames.Where(f => f.Flag == 0).Select(f => f.Payload);

    /// <summary>The trailer frame's text, exactly as sent.</summary>
    public string? TrailerBlock => Frames.Where(f => f.Flag == 0x80).Select(f => Encoding.ASCII.GetString(f.Payload)).SingleOrDefault();

    /// <summary>The trailer frame's lines as name → value.</summary>
    public Dictionary<string, string> Trailers => (TrailerBlock ?? string.Empty)
        .Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
        .Select(line => line.Split(": ", 2))
        .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    /// <summary>grpc-status from the trailer frame, or from the headers of a trailers-only response.</summary>
    public StatusCode? GrpcStatus =>
        (Trailers.GetValueOrDefault("grpc-status") ?? Headers.GetValueOrDefault("grpc-status")) is { } s
            ? (StatusCode)int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    public string? GrpcMessage =>
        (Trailers.GetValueOrDefault("grpc-message") ?? Headers.GetValueOrDefault("grpc-message")) is { } m
            ? Uri.UnescapeDataString(m)
            : null;

    public bool IsTrailersOnly => Headers.ContainsKey("grpc-status") && RawBody.Length == 0;
}

/// <summary>Base64 text as gRPC-Web sends it: one or more chunks, each padded on its own.</summary>
internal static class Base64Chunks
{
    public static byte[] Decode(string text)
    {
        var bytes = new List<byte>();
        var rest = text;
        while (rest.Length > 0)
        {
            var padding = rest.IndexOf('=', StringComparison.Ordinal);
            var end = padding < 0 ? rest.Length : ((padding / 4) + 1) * 4;
            bytes.AddRange(Convert.FromBase64String(rest[..end]));
            rest = rest[end..];
        }

        return [.. bytes];
    }
}
