using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace GrpcDvc.Tests.Hardening;

/// <summary>How a raw call ended: the gRPC status, or why there was none.</summary>
internal sealed record RawOutcome(int HttpStatus, StatusCode? Status, string? Message, Google.Rpc.Status? Details, string? Failure, TimeSpan Elapsed)
{
    /// <summary>The response body (gRPC frames), for a caller that wants the reply.</summary>
    public byte[] Body { get; init; } = [];

    /// <summary>The first response message's bytes, if a whole one arrived.</summary>
    public byte[]? FirstMessage => Body.Length >= 5 && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(Body.AsSpan(1)) is var length && Body.Length >= 5 + length
        ? Body[5..(5 + (int)length)]
        : null;

    public BadRequestView BadRequest => new(Details);

    public override string ToString() => Status is { } s
        ? $"{s} '{Message}'"
        : $"no grpc-status (HTTP {HttpStatus}{(Failure is null ? "" : $", {Failure}")})";
}

/// <summary>The field violations a google.rpc.Status carries, if any.</summary>
internal readonly record struct BadRequestView(Google.Rpc.Status? Details)
{
    public IReadOnlyList<Google.Rpc.BadRequest.Types.FieldViolation> Violations =>
        Details?.Details.Where(a => a.Is(Google.Rpc.BadRequest.Descriptor)).SelectMany(a => a.Unpack<Google.Rpc.BadRequest>().FieldViolations).ToList()
        ?? [];
}

/// <summary>
/// Sends any bytes as a gRPC request over HTTP/2 (h2c) on one shared client, and reads the status
/// from the trailers (or the headers of a trailers-only answer). A call that neither answers nor
/// fails within the hang limit is reported as a hang.
/// </summary>
internal sealed class RawCaller(Uri server, TimeSpan hangLimit) : IDisposable
{
    public Uri Server => server;

    private readonly HttpClient _http = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<RawOutcome> PostAsync(string path, byte[] body, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var hang = new CancellationTokenSource(hangLimit);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, hang.Token);
            var bytes = await response.Content.ReadAsByteArrayAsync(hang.Token);
            var status = Header(response, "grpc-status");
            var message = Header(response, "grpc-message");
            var details = Header(response, "grpc-status-details-bin");
            return new RawOutcome(
                (int)response.StatusCode,
                status is null ? null : (StatusCode)int.Parse(status, System.Globalization.CultureInfo.InvariantCulture),
                message is null ? null : Uri.UnescapeDataString(message),
                details is null ? null : Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(Pad(details))),
                null,
                System.Diagnostics.Stopwatch.GetElapsedTime(started)) { Body = bytes };
        }
        catch (OperationCanceledException) when (hang.IsCancellationRequested)
        {
            return new RawOutcome(0, null, null, null, $"HANG: no answer within {hangLimit.TotalSeconds:0} s", System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A reset stream, a refused request, or an answer this client cannot read (headers past its 64 KiB limit).
            return new RawOutcome(0, null, null, null, $"{e.GetType().Name}: {e.InnerException?.Message ?? e.Message}", System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    public void Dispose() => _http.Dispose();

    private static string? Header(HttpResponseMessage response, string name)
        => response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.First()
            : response.Headers.TryGetValues(name, out var header) ? header.First()
            : null;

    // grpc-status-details-bin is base64 with its padding left off.
    private static string Pad(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
}
