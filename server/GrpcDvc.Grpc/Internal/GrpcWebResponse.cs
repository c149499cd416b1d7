using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using GrpcDvc.Grpc.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace GrpcDvc.Grpc.Internal;

/// <summary>
/// One gRPC-Web response in the making. It stands in as the response-trailers feature, so the
/// binding's StatusWriter puts the status here (or, before anything was sent, into the headers
/// of a trailers-only response, which gRPC-Web keeps). At the end the trailers become the final
/// body frame: flag 0x80, length, then "name: value\r\n" lines (PROTOCOL-WEB.md).
/// </summary>
internal sealed class GrpcWebResponse : IHttpResponseTrailersFeature
{
    private const byte TrailerFlag = 0x80;
    private readonly HttpContext _context;
    private readonly GrpcWebContentType _contentType;
    private readonly Base64ResponseStream? _encoder;

    private GrpcWebResponse(HttpContext context, GrpcWebContentType contentType, Base64ResponseStream? encoder)
    {
        _context = context;
        _contentType = contentType;
        _encoder = encoder;
    }

    public IHeaderDictionary Trailers { get; set; } = new HeaderDictionary();

    public static GrpcWebResponse Adapt(HttpContext context, GrpcWebContentType contentType)
    {
        var request = context.Request;
        request.ContentType = contentType.GrpcEquivalent;
        Base64ResponseStream? encoder = null;
        if (contentType.IsText)
        {
            request.Body = new Base64RequestStream(request.Body);
            // The handlers read Request.BodyReader; make it read the decoded body.
            context.Features.Set<IRequestBodyPipeFeature>(new RequestBodyPipeFeature(context));
            encoder = new Base64ResponseStream(context.Response.Body);
            context.Response.Body = encoder;
        }

        var response = new GrpcWebResponse(context, contentType, encoder);
        context.Features.Set<IHttpResponseTrailersFeature>(response);
        context.Response.OnStarting(static state => ((GrpcWebResponse)state).OnStarting(), response);
        return response;
    }

    /// <summary>Sends the trailer frame when the status did not already go out in the headers.</summary>
    public async Task CompleteAsync()
    {
        var response = _context.Response;
        if (Trailers.Count > 0)
        {
            WriteTrailerFrame(response.BodyWriter, Trailers);
            await response.BodyWriter.FlushAsync();
        }

        if (_encoder is not null)
        {
            await _encoder.FlushAsync();
        }
    }

    internal static void WriteTrailerFrame(IBufferWriter<byte> writer, IHeaderDictionary trailers)
    {
        var block = new StringBuilder();
        foreach (var (name, values) in trailers)
        {
            foreach (var value in values)
            {
                block.Append(name.ToLowerInvariant()).Append(": ").Append(value).Append("\r\n");
            }
        }

        // Values are ASCII already: grpc-message is percent-encoded and -bin values are base64.
        var payload = Encoding.ASCII.GetBytes(block.ToString());
        var header = writer.GetSpan(GrpcProtocol.HeaderSize);
        header[0] = TrailerFlag;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)payload.Length);
        writer.Advance(GrpcProtocol.HeaderSize);
        writer.Write(payload);
    }

    private Task OnStarting()
    {
        var response = _context.Response;
        if (GrpcProtocol.IsGrpcContentType(response.ContentType))
        {
            response.ContentType = _contentType.MediaType;
        }

        return Task.CompletedTask;
    }
}
