using GrpcDvc.Benchmarks.Contract;

namespace GrpcDvc.Benchmarks;

/// <summary>
/// Target (b): what a gRPC server must do at the least, straight on Kestrel with no binding
/// code: parse the framed request with the generated type, write the framed response(s),
/// flush each message as a stream would, and end with grpc-status 0 in the trailers.
/// </summary>
internal sealed class BareGrpcEndpoint(BenchWorkload workload)
{
    public async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value;
        if (path is not (BenchWorkload.EchoPath or BenchWorkload.StreamPath))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        http.Response.ContentType = "application/grpc";
        var reader = http.Request.BodyReader;
        var writer = http.Response.BodyWriter;
        var cancellationToken = http.RequestAborted;
        if (path == BenchWorkload.EchoPath)
        {
            var request = await BareFraming.ReadSingleAsync(reader, Payload.Parser, cancellationToken);
            if (request is null)
            {
                EndMalformed(http);
                return;
            }

            BareFraming.Write(writer, request);
            await writer.FlushAsync(cancellationToken);
        }
        else
        {
            var request = await BareFraming.ReadSingleAsync(reader, StreamRequest.Parser, cancellationToken);
            if (request is null)
            {
                EndMalformed(http);
                return;
            }

            for (var i = 0; i < request.Count; i++)
            {
                BareFraming.Write(writer, workload.Payload);
                await writer.FlushAsync(cancellationToken);
            }
        }

        http.Response.AppendTrailer("grpc-status", "0");
    }

    // Trailers-only answer: INTERNAL in the headers, as the spec has it for a call that sent nothing.
    private static void EndMalformed(HttpContext http) => http.Response.Headers["grpc-status"] = "13";
}
