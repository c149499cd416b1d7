using GrpcDvc.Grpc.Wire;
using Microsoft.AspNetCore.Http;

namespace GrpcDvc.Grpc.Internal;

internal static class RequestMetadata
{
    /// <summary>
    /// True when a request header carries binary metadata. Only those can be malformed (bad
    /// base64), and a malformed one must fail the call before its handler runs; every other
    /// call can leave its metadata unparsed until a handler or interceptor reads it.
    /// </summary>
    public static bool HasBinaryHeader(IHeaderDictionary headers)
    {
        foreach (var header in headers)
        {
            if (Metadata.Entry.IsBinaryKey(header.Key))
            {
                return true;
            }
        }

        return false;
    }

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
