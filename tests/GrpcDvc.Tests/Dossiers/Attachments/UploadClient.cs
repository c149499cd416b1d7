using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using GrpcDvc.Contracts.Dossiers.V1;

namespace GrpcDvc.Tests.Dossiers.Attachments;

/// <summary>Files for uploads (real magic bytes, then random ones) and a client that streams them in chunks.</summary>
internal static class UploadClient
{
    public const string Pdf = "application/pdf";
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";

    public static byte[] PdfFile(int size, int seed = 1) => File("%PDF-1.7\n"u8, size, seed);

    public static byte[] PngFile(int size, int seed = 2) => File([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], size, seed);

    public static byte[] JpegFile(int size, int seed = 3) => File([0xFF, 0xD8, 0xFF, 0xE0], size, seed);

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static AttachmentHeader Header(byte[] bytes, string contentType, string? requestId = null) => new()
    {
        RequestId = requestId ?? Guid.NewGuid().ToString("D"),
        FileName = "giay-to.pdf",
        ContentType = contentType,
        Size = bytes.Length,
        Sha256 = Sha256(bytes),
        DocumentName = "Tờ khai thay đổi thông tin cư trú (CT01)",
    };

    /// <summary>The header, then the bytes in chunks of <paramref name="chunkSize"/>; the answer, or the RpcException the call ended with.</summary>
    public static Task<UploadAttachmentResponse> UploadAsync(DossierService.DossierServiceClient client, CallOptions options, AttachmentHeader header, byte[] bytes, int chunkSize = 64 * 1024)
        => SendAsync(client, options, [new UploadAttachmentRequest { Header = header }, .. Chunks(bytes, chunkSize)]);

    public static IEnumerable<UploadAttachmentRequest> Chunks(byte[] bytes, int chunkSize = 64 * 1024)
    {
        for (var at = 0; at < bytes.Length; at += chunkSize)
        {
            yield return new UploadAttachmentRequest { Chunk = ByteString.CopyFrom(bytes, at, Math.Min(chunkSize, bytes.Length - at)) };
        }
    }

    /// <summary>Any messages in order. A server that refuses mid-stream ends the call; the writes stop and the status is thrown.</summary>
    public static async Task<UploadAttachmentResponse> SendAsync(DossierService.DossierServiceClient client, CallOptions options, IEnumerable<UploadAttachmentRequest> messages)
    {
        using var call = client.UploadAttachment(options);
        try
        {
            foreach (var message in messages)
            {
                await call.RequestStream.WriteAsync(message);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
            // The server answered before the client finished writing: its status is the call's.
        }

        return await call.ResponseAsync;
    }

    private static byte[] File(ReadOnlySpan<byte> magic, int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        magic.CopyTo(bytes);
        return bytes;
    }
}
