using GrpcDvc.Grpc.Wire;
using Microsoft.AspNetCore.Http;

namespace GrpcDvc.Grpc.Internal;

internal static class RequestMetadata
{
    /// <summary>The custom metadata among the request headers; -bin values decoded (padded or not).</summary>
    public static Metadata From(IHeaderDictionary headers)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers)
        {
            if (MetadataHeaders.IsReserved(name))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (value is null)
                {
                    continue;
                }

                if (Metadata.Entry.IsBinaryKey(name))
                {
                    // Several binary values may arrive comma-joined in one header.
                    foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        metadata.Add(name, DecodeBinary(name, part));
                    }
                }
                else
                {
                    TryAdd(metadata, name, value);
                }
            }
        }

        return metadata;
    }

    private static void TryAdd(Metadata metadata, string name, string value)
    {
        try
        {
            metadata.Add(name, value);
        }
        catch (ArgumentException)
        {
            // A header that is not valid gRPC metadata (odd name or bytes) is HTTP's business, not the handler's.
        }
    }

    private static byte[] DecodeBinary(string name, string value)
    {
        try
        {
            return MetadataBase64.Decode(value);
        }
        catch (FormatException)
        {
            throw new RpcException(StatusCode.Internal, $"Header '{name}' is not valid base64.");
        }
    }
}
