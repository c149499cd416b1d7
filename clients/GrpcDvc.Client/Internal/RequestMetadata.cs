using System.Net.Http.Headers;
using GrpcDvc.Grpc;
using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Client.Internal;

/// <summary>Puts custom metadata on the request: "-bin" values as unpadded base64, protocol names refused.</summary>
internal static class RequestMetadata
{
    public static void Add(HttpRequestHeaders headers, Metadata? metadata)
    {
        foreach (var entry in metadata ?? [])
        {
            if (MetadataHeaders.IsProtected(entry.Key))
            {
                throw new ArgumentException($"Metadata key '{entry.Key}' is reserved for the gRPC protocol.", nameof(metadata));
            }

            headers.TryAddWithoutValidation(entry.Key, entry.IsBinary ? MetadataBase64.Encode(entry.ValueBytes!) : entry.Value);
        }
    }
}
