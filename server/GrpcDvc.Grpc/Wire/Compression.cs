using System.IO.Compression;

namespace GrpcDvc.Grpc.Wire;

/// <summary>
/// Message compression per grpc/grpc doc/compression.md. "gzip" is RFC 1952; "deflate" is the
/// zlib format (RFC 1950), as the other gRPC implementations send it.
/// </summary>
public static class Compression
{
    public const string Identity = "identity";
    public const string Gzip = "gzip";
    public const string Deflate = "deflate";

    /// <summary>What this side can decode, as sent in grpc-accept-encoding.</summary>
    public const string AcceptEncoding = "gzip,deflate,identity";

    public static bool IsSupported(string? encoding) =>
        encoding is null || encoding.Equals(Identity, StringComparison.OrdinalIgnoreCase) ||
        encoding.Equals(Gzip, StringComparison.OrdinalIgnoreCase) || encoding.Equals(Deflate, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="encoding"/> names a real compression (not identity).</summary>
    public static bool IsCompressing(string? encoding) =>
        encoding is not null && !encoding.Equals(Identity, StringComparison.OrdinalIgnoreCase);

    public static byte[] Compress(string encoding, ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var stream = CompressStream(encoding, output))
        {
            stream.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>Decompresses, refusing output larger than <paramref name="maxSize"/> (a zip bomb is RESOURCE_EXHAUSTED).</summary>
    public static byte[] Decompress(string encoding, byte[] data, int maxSize)
    {
        try
        {
            using var input = new MemoryStream(data);
            using var stream = DecompressStream(encoding, input);
            using var output = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                if (output.Length + read > maxSize)
                {
                    throw new RpcException(StatusCode.ResourceExhausted,
                        $"Received message exceeds the maximum configured message size after decompression (> {maxSize}).");
                }

                output.Write(buffer, 0, read);
            }

            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new RpcException(StatusCode.Internal, $"Could not decompress the {encoding} message: {ex.Message}");
        }
    }

    /// <summary>Parses a grpc-accept-encoding list.</summary>
    public static IReadOnlySet<string> ParseAccepted(string? header)
        => (header ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => e.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);

    private static Stream CompressStream(string encoding, Stream output) => encoding.ToLowerInvariant() switch
    {
        Gzip => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
        Deflate => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true),
        _ => throw new RpcException(StatusCode.Internal, $"Unsupported compression '{encoding}'."),
    };

    private static Stream DecompressStream(string encoding, Stream input) => encoding.ToLowerInvariant() switch
    {
        Gzip => new GZipStream(input, CompressionMode.Decompress),
        Deflate => new ZLibStream(input, CompressionMode.Decompress),
        _ => throw new RpcException(StatusCode.Unimplemented, $"Unsupported grpc-encoding '{encoding}'."),
    };
}
