using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Grpc.Internal;

/// <summary>
/// A gRPC-Web content type (grpc/grpc doc/PROTOCOL-WEB.md): "application/grpc-web" carries the
/// same frames as "application/grpc"; "application/grpc-web-text" carries them base64-encoded.
/// Either may name its message format ("+proto"). The response's content type mirrors the request's.
/// </summary>
internal readonly record struct GrpcWebContentType(bool IsText, string MediaType, string GrpcEquivalent)
{
    public const string Binary = "application/grpc-web";
    public const string Text = "application/grpc-web-text";

    public static bool TryParse(string? contentType, out GrpcWebContentType parsed)
    {
        parsed = default;
        if (string.IsNullOrEmpty(contentType) || !contentType.StartsWith(Binary, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var media = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim().ToLowerInvariant();
        var isText = media.StartsWith(Text, StringComparison.Ordinal);
        var format = media[(isText ? Text : Binary).Length..];
        if (format.Length > 0 && format[0] != '+')
        {
            return false;
        }

        parsed = new GrpcWebContentType(isText, media, GrpcProtocol.ContentType + format);
        return true;
    }
}
