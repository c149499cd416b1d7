using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace GrpcDvc.Tests.Support;

/// <summary>
/// Sends hand-made HTTP/2 requests (any bytes, any content type) with .NET's own HTTP/2 client,
/// to see exactly what the server puts on the wire.
/// </summary>
internal static class RawGrpc
{
    /// <summary>Posts <paramref name="body"/> as it is; <paramref name="headers"/> are added to the request unchecked.</summary>
    public static async Task<RawResponse> PostAsync(
        Uri server, string path, byte[] body, string contentType = "application/grpc",
        IReadOnlyDictionary<string, string>? headers = null)
    {
        using var handler = new SocketsHttpHandler();
        using var http = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new RawResponse(
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.ToString(),
            Flatten(response.Headers),
            Flatten(response.TrailingHeaders),
            bytes);
    }

    private static Dictionary<string, string> Flatten(HttpHeaders headers)
        => headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.Ordinal);
}

/// <summary>gRPC's length-prefixed message framing, for raw requests.</summary>
internal static class RawFrames
{
    public static byte[] Frame(Google.Protobuf.IMessage message)
    {
        var payload = Google.Protobuf.MessageExtensions.ToByteArray(message);
        var body = new byte[5 + payload.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(body, 5);
        return body;
    }
}

internal sealed record RawResponse(int HttpStatus, string? ContentType, Dictionary<string, string> Headers, Dictionary<string, string> Trailers, byte[] Body)
{
    /// <summary>grpc-status from the trailers, or from the headers of a trailers-only response.</summary>
    public StatusCode? GrpcStatus =>
        (Trailers.GetValueOrDefault("grpc-status") ?? Headers.GetValueOrDefault("grpc-status")) is { } s
            ? (StatusCode)int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    public string? GrpcMessage =>
        (Trailers.GetValueOrDefault("grpc-message") ?? Headers.GetValueOrDefault("grpc-message")) is { } m
            ? Uri.UnescapeDataString(m)
            : null;

    public bool IsTrailersOnly => Headers.ContainsKey("grpc-status") && Body.Length == 0;
}
