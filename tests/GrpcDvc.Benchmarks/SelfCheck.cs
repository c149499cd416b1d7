using System.Net;
using System.Net.Http.Headers;

namespace GrpcDvc.Benchmarks;

/// <summary>
/// One real call per rpc before the driver starts h2load, which cannot see grpc-status:
/// HTTP 200, grpc-status 0 in the trailers and the response bytes exactly as expected.
/// </summary>
internal static class SelfCheck
{
    public static async Task RunAsync(Uri address, BenchWorkload workload)
    {
        using var client = new HttpClient();
        await CheckAsync(client, new Uri(address, BenchWorkload.EchoPath), workload.EchoRequestBody, workload.EchoResponseBody);
        await CheckAsync(client, new Uri(address, BenchWorkload.StreamPath), workload.StreamRequestBody, workload.StreamResponseBody);
    }

    private static async Task CheckAsync(HttpClient client, Uri uri, byte[] body, byte[] expected)
    {
        // HTTP/2 with prior knowledge (h2c), as gRPC clients speak to a plain-text endpoint.
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        using var response = await client.SendAsync(request);
        var received = await response.Content.ReadAsByteArrayAsync();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var values) ? values.FirstOrDefault() : null;
        if (response.StatusCode != HttpStatusCode.OK || status != "0" || !received.AsSpan().SequenceEqual(expected))
        {
            throw new InvalidOperationException(
                $"Self-check of {uri.AbsolutePath} failed: HTTP {(int)response.StatusCode}, grpc-status {status ?? "missing"}, " +
                $"{received.Length} bytes received ({expected.Length} expected, contents {(received.AsSpan().SequenceEqual(expected) ? "equal" : "different")}).");
        }
    }
}
