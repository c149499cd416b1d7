using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Google.Protobuf;
using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Client;

/// <summary>
/// A connection to a GrpcDvc server over HTTP/2: h2c with prior knowledge for http://,
/// ALPN-negotiated HTTP/2 for https://. Thread-safe; create one per server and reuse it.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly HttpClient _http;

    public GrpcChannel(Uri address, HttpMessageHandler? handler = null)
    {
        Address = address;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { EnableMultipleHttp2Connections = true }, disposeHandler: true)
        {
            BaseAddress = address,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public Uri Address { get; }

    /// <summary>Calls a unary rpc; a non-OK status is thrown as <see cref="RpcException"/>.</summary>
    public async Task<TResponse> UnaryAsync<TResponse>(
        string method, IMessage request, MessageParser<TResponse> parser, CancellationToken cancellationToken = default)
        where TResponse : IMessage<TResponse>
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, method)
        {
            // HttpClient's default version only applies to its convenience methods, not to SendAsync.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(MessageFraming.Frame(request)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocol.ContentType);
        message.Headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, "trailers");

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException or IOException || ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new RpcException(StatusCode.Unavailable, $"Cannot reach {Address}: {ex.Message}");
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new RpcException(StatusCode.Unknown, $"HTTP {(int)response.StatusCode} from {new Uri(Address, method)}.");
            }

            // Trailers-only responses carry the status in the headers.
            if (ResponseStatus.TryRead(response.Headers, out var headerStatus, out var headerDetails))
            {
                throw new RpcException(headerStatus, headerDetails);
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var reader = System.IO.Pipelines.PipeReader.Create(body);
            var received = await MessageFraming.ReadMessageAsync(reader, int.MaxValue, cancellationToken);
            while (await MessageFraming.ReadMessageAsync(reader, int.MaxValue, cancellationToken) is not null)
            {
                // A unary response has one message; drain anything else so the trailers arrive.
            }

            if (!ResponseStatus.TryRead(response.TrailingHeaders, out var status, out var details))
            {
                throw new RpcException(StatusCode.Internal, "The response ended without grpc-status.");
            }

            if (status.Code != StatusCode.OK)
            {
                throw new RpcException(status, details);
            }

            return received is null
                ? throw new RpcException(StatusCode.Internal, "An OK unary response carried no message.")
                : parser.ParseFrom(received.Payload);
        }
    }

    public void Dispose() => _http.Dispose();
}

internal static class ResponseStatus
{
    public static bool TryRead(HttpHeaders headers, out Status status, out byte[]? details)
    {
        status = default;
        details = null;
        if (!headers.TryGetValues(GrpcProtocol.StatusHeader, out var codes))
        {
            return false;
        }

        var code = int.TryParse(codes.FirstOrDefault(), out var parsed) ? (StatusCode)parsed : StatusCode.Unknown;
        var message = headers.TryGetValues(GrpcProtocol.MessageHeader, out var messages)
            ? PercentEncoding.Decode(messages.First())
            : string.Empty;
        if (headers.TryGetValues(GrpcProtocol.StatusDetailsHeader, out var encoded))
        {
            var text = encoded.First();
            details = Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
        }

        status = new Status(code, message);
        return true;
    }
}
