using Grpc.Core;
using GrpcDvc.Contracts.Dossiers.V1;

namespace GrpcDvc.Server.Dossiers.Attachments;

/// <summary>UploadAttachment: client-streamed files, hashed, typed from their bytes, stored once by content.</summary>
public sealed class AttachmentUploads
{
    public Task<UploadAttachmentResponse> UploadAsync(IAsyncStreamReader<UploadAttachmentRequest> requests, ServerCallContext context)
        => throw NotBuiltYet.Error("UploadAttachment");
}
