using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers.Attachments;

/// <summary>
/// UploadAttachment: client-streamed files, hashed, typed from their bytes, stored once by content.
/// The header comes first and is checked before any byte is read; the bytes go to a temporary file
/// (<see cref="UploadBuffer"/>) and are checked as they arrive, so a client lying about the size or the type
/// is stopped at the first chunk that shows it; only a file that passed every check is stored, with its
/// attachments row, in one transaction. Whatever ends the call early (a refusal, a cancel, a broken stream,
/// a failure) leaves no row and no file.
/// </summary>
public sealed partial class AttachmentUploads(
    DvcDbContext db,
    IAttachmentContentStore store,
    AttachmentOptions options,
    UploadBuffers buffers,
    UploadsInFlight inFlight,
    TimeProvider time,
    ILogger<AttachmentUploads> logger)
{
    public async Task<UploadAttachmentResponse> UploadAsync(IAsyncStreamReader<UploadAttachmentRequest> requests, ServerCallContext context)
    {
        var owner = context.GetCaller().AccountId;
        var cancellationToken = context.CancellationToken;
        var header = await ReadHeaderAsync(requests, cancellationToken);

        if (await FindAsync(owner, header.RequestId, cancellationToken) is { } earlier)
        {
            // A retry of a finished upload: its bytes, if it sends them again, are read under the same rules and dropped.
            EnsureSameFile(earlier, header);
            await ReceiveAsync(requests, header, null, cancellationToken);
            return Answer(earlier);
        }

        using var slot = inFlight.TryEnter(owner) ?? throw QuotaError(
            $"At most {options.MaxUploadsInFlightPerOwner} uploads at once: wait for one to finish.", "UPLOADS_IN_FLIGHT_LIMIT");
        await EnsureRoomAsync(owner, header.Size, cancellationToken);

        await using var buffer = buffers.Create();
        await ReceiveAsync(requests, header, buffer, cancellationToken);
        if (buffer.Sha256() != header.Sha256)
        {
            throw RpcErrors.InvalidArgument("The bytes received do not have the SHA-256 the header gives: the file was damaged on the way, or the header is wrong.",
                new FieldViolation("header.sha256", "Differs from the SHA-256 of the bytes received.", "SHA256_MISMATCH"));
        }

        var row = new AttachmentRecord
        {
            Id = Guid.NewGuid(),
            OwnerAccountId = owner,
            RequestId = header.RequestId,
            FileName = header.FileName,
            ContentType = header.DeclaredType,
            Size = header.Size,
            Sha256 = header.Sha256,
            DocumentName = header.DocumentName,
            // Whole milliseconds, as the database keeps it: a retry answers exactly what this call answers.
            UploadedAt = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds()),
        };
        try
        {
            await StoreAsync(row, buffer, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same upload (same request id) may have finished on another call while this one streamed.
            if (await RacedAsync(owner, header, cancellationToken) is { } raced)
            {
                return Answer(raced);
            }

            throw;
        }

        LogStored(row.Id, row.Size, row.ContentType);
        return Answer(row);
    }

    private async Task<UploadHeader> ReadHeaderAsync(IAsyncStreamReader<UploadAttachmentRequest> requests, CancellationToken cancellationToken)
    {
        if (!await requests.MoveNext(cancellationToken))
        {
            throw RpcErrors.InvalidArgument("The upload ended before its header.",
                new FieldViolation("header", "The first message must be the header.", "HEADER_MISSING"));
        }

        if (requests.Current.PartCase != UploadAttachmentRequest.PartOneofCase.Header)
        {
            throw RpcErrors.InvalidArgument("The first message of an upload must be its header.",
                new FieldViolation("header", "The first message must be the header; chunks follow it.", "HEADER_FIRST"));
        }

        var (header, problems) = UploadHeader.Check(requests.Current.Header, options.MaxFileBytes);
        return header ?? throw RpcErrors.InvalidArgument("The upload's header is not valid.", [.. problems]);
    }

    /// <summary>
    /// Reads the chunks to the end of the stream into <paramref name="buffer"/> (or drops them when null: a retry), under the
    /// framing rules: chunks only, 1 byte to 64 KiB each, never more than the header's size in all, and the type
    /// read from the first bytes equal to the declared one.
    /// </summary>
    private static async Task ReceiveAsync(IAsyncStreamReader<UploadAttachmentRequest> requests, UploadHeader header, UploadBuffer? buffer, CancellationToken cancellationToken)
    {
        long received = 0;
        var typeChecked = false;
        while (await requests.MoveNext(cancellationToken))
        {
            var message = requests.Current;
            if (message.PartCase == UploadAttachmentRequest.PartOneofCase.Header)
            {
                throw Framing("header", "Only the first message is the header.", "HEADER_REPEATED");
            }

            var chunk = message.Chunk;
            if (message.PartCase != UploadAttachmentRequest.PartOneofCase.Chunk || chunk.Length == 0)
            {
                throw Framing("chunk", "Every message after the header carries a chunk of at least one byte.", "CHUNK_EMPTY");
            }

            if (chunk.Length > AttachmentOptions.MaxChunkBytes)
            {
                throw Framing("chunk", $"A chunk holds at most {AttachmentOptions.MaxChunkBytes} bytes.", "CHUNK_TOO_LARGE");
            }

            received += chunk.Length;
            if (received > header.Size)
            {
                // A client that declared a small size cannot stream on: refused at the first byte past it.
                throw Framing("header.size", $"The stream carries more bytes than the {header.Size} the header declared.", "SIZE_EXCEEDED");
            }

            if (buffer is not null)
            {
                await buffer.AppendAsync(chunk.Memory, cancellationToken);
                if (!typeChecked && buffer.Length >= ContentTypes.SniffLength)
                {
                    CheckType(buffer.Head, header.DeclaredType);
                    typeChecked = true;
                }
            }
        }

        // A retry may send the bytes again or only the header.
        if (received != header.Size && !(buffer is null && received == 0))
        {
            throw Framing("header.size", $"The stream carried {received} bytes; the header declared {header.Size}.", "SIZE_MISMATCH");
        }

        if (buffer is not null && !typeChecked)
        {
            CheckType(buffer.Head, header.DeclaredType);
        }
    }

    private static void CheckType(ReadOnlySpan<byte> head, string declared)
    {
        var actual = ContentTypes.Sniff(head);
        if (actual is null)
        {
            throw Framing("chunk", "The file is not a PDF, JPEG or PNG (read from its first bytes).", "CONTENT_TYPE_NOT_ACCEPTED");
        }

        if (actual != declared)
        {
            throw Framing("header.content_type", $"The bytes are {actual}, not {declared}.", "CONTENT_TYPE_MISMATCH");
        }
    }

    private static RpcException Framing(string field, string description, string reason)
        => RpcErrors.InvalidArgument($"The upload was refused: {description}", new FieldViolation(field, description, reason));

    /// <summary>The content and the attachments row in one transaction; whatever the store wrote outside is removed if it fails.</summary>
    private async Task StoreAsync(AttachmentRecord row, UploadBuffer buffer, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        StoredContent? stored = null;
        try
        {
            // Again inside the transaction: uploads of one citizen on other instances may have finished meanwhile.
            await EnsureRoomAsync(row.OwnerAccountId, row.Size, cancellationToken);
            stored = await store.PutAsync(db, row.Sha256, row.Size, await buffer.RewindAsync(cancellationToken), row.UploadedAt, cancellationToken);
            db.Attachments().Add(row);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            // Before the rollback releases the content's row: an upload of the same bytes waiting on it writes its own file.
            if (stored is not null)
            {
                store.Abandon(stored);
            }

            db.ChangeTracker.Clear();
            throw;
        }

        // A commit that fails leaves its outcome unknown, so the file stays: if the row did not commit, the purge removes it.
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<AttachmentRecord?> RacedAsync(Guid owner, UploadHeader header, CancellationToken cancellationToken)
    {
        if (await FindAsync(owner, header.RequestId, cancellationToken) is not { } raced)
        {
            return null;
        }

        EnsureSameFile(raced, header);
        return raced;
    }

    private Task<AttachmentRecord?> FindAsync(Guid owner, string requestId, CancellationToken cancellationToken)
        => db.Attachments().AsNoTracking().FirstOrDefaultAsync(a => a.OwnerAccountId == owner && a.RequestId == requestId, cancellationToken);

    /// <summary>
    /// A request id names one file: used again for other bytes it is ALREADY_EXISTS (the client reused an id, a
    /// bug on its side that no retry fixes), never a silent second attachment nor a silent answer for other bytes.
    /// </summary>
    private static void EnsureSameFile(AttachmentRecord earlier, UploadHeader header)
    {
        if (earlier.Sha256 != header.Sha256 || earlier.Size != header.Size)
        {
            throw RpcErrors.Create(StatusCode.AlreadyExists,
                "This request_id already uploaded another file: give every new upload a new request_id.",
                new ResourceInfo { ResourceType = "attachment", ResourceName = earlier.Id.ToString("D"), Description = "The file uploaded with this request_id." },
                RpcErrors.Reason("REQUEST_ID_REUSED"));
        }
    }

    /// <summary>The citizen's uploads no dossier has taken up yet must leave room for this one (count and bytes).</summary>
    private async Task EnsureRoomAsync(Guid owner, long size, CancellationToken cancellationToken)
    {
        var held = await db.Attachments().AsNoTracking().Where(a => a.OwnerAccountId == owner && a.DossierId == null).Select(a => a.Size).ToListAsync(cancellationToken);
        if (held.Count >= options.MaxUnclaimedPerOwner)
        {
            throw QuotaError($"You hold {held.Count} uploads no dossier has taken up (at most {options.MaxUnclaimedPerOwner}): submit them, or wait until unused ones are deleted.",
                "UNCLAIMED_ATTACHMENTS_LIMIT");
        }

        if (held.Sum() + size > options.MaxUnclaimedBytesPerOwner)
        {
            throw QuotaError($"Your uploads no dossier has taken up would hold more than {options.MaxUnclaimedBytesPerOwner} bytes.", "UNCLAIMED_BYTES_LIMIT");
        }
    }

    private static RpcException QuotaError(string message, string reason)
        => RpcErrors.Create(StatusCode.ResourceExhausted, message,
            new QuotaFailure { Violations = { new QuotaFailure.Types.Violation { Subject = "attachments", Description = message } } },
            RpcErrors.Reason(reason));

    private static UploadAttachmentResponse Answer(AttachmentRecord row) => new() { Attachment = DossierMessages.ToMessage(row) };

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Attachment {Id} stored: {Size} bytes of {ContentType}.")]
    private partial void LogStored(Guid id, long size, string contentType);
}
