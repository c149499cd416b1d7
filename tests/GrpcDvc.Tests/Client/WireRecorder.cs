namespace GrpcDvc.Tests.Client;

/// <summary>
/// An HTTP handler in front of a real SocketsHttpHandler that keeps what went over the wire:
/// the last request's headers and (for single-message calls) body, and the last response's headers.
/// </summary>
internal sealed class WireRecorder() : DelegatingHandler(new SocketsHttpHandler())
{
    private HttpRequestMessage? _request;
    private HttpResponseMessage? _response;

    public int Requests { get; private set; }

    public byte[] RequestBody { get; private set; } = [];

    public string? RequestHeader(string name)
        => _request is not null && _request.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public string? ResponseHeader(string name)
        => _response is not null && _response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        _request = request;
        // A unary body is a finished buffer that can be read twice; streamed bodies are left alone.
        if (request.Content is ReadOnlyMemoryContent buffered)
        {
            RequestBody = await buffered.ReadAsByteArrayAsync(cancellationToken);
        }

        _response = await base.SendAsync(request, cancellationToken);
        return _response;
    }
}
