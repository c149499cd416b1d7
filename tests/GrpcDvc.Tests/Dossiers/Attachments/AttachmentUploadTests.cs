using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Dossiers;
using GrpcDvc.Server.Dossiers.Attachments;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Access;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrpcDvc.Tests.Dossiers.Attachments;

/// <summary>
/// UploadAttachment through gRPC as a signed-in citizen, against the real server and database; run per database
/// and content store. Every refusal is followed by a count of rows and files: nothing may be left behind.
/// </summary>
public abstract class AttachmentUploadTests : IAsyncLifetime
{
    protected const int MaxFileBytes = 1024 * 1024;
    private const int MaxUnclaimed = 4;

    private InProcessServer _server = null!;

    private DossierService.DossierServiceClient Dossiers { get; set; } = null!;

    private CallOptions Citizen { get; set; }

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync(
            "--Dvc:Population:DemoCitizens=0",
            $"--Dvc:Dossiers:Attachments:MaxFileBytes={MaxFileBytes}",
            $"--Dvc:Dossiers:Attachments:MaxUnclaimedPerOwner={MaxUnclaimed}");
        Dossiers = new DossierService.DossierServiceClient(_server.Channel);
        Citizen = TestCallers.Bearer(await TestCallers.CitizenAsync(_server));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract Task<InProcessServer> StartServerAsync(params string[] args);

    [Fact]
    public async Task Upload_PdfInChunks_IsStoredWithItsHashAndTheTypeReadFromTheBytes()
    {
        var file = UploadClient.PdfFile(300_000);
        var header = UploadClient.Header(file, "Application/PDF");
        header.FileName = "C:\\fakepath\\to\u202Ekhai.pdf";

        var answer = (await UploadClient.UploadAsync(Dossiers, Citizen, header, file)).Attachment;

        Assert.Equal(UploadClient.Sha256(file), answer.Sha256);
        Assert.Equal(file.Length, answer.Size);
        Assert.Equal("application/pdf", answer.ContentType);
        Assert.Equal("tokhai.pdf", answer.FileName);
        Assert.Equal("Tờ khai thay đổi thông tin cư trú (CT01)", answer.DocumentName);
        Assert.Equal(file, await StoredBytesAsync(answer.Sha256));
        Assert.Equal((1, 1), await RowsAsync());
        Assert.Equal(0, BufferFiles());
    }

    [Fact]
    public async Task Upload_SameBytesTwice_AddsAnAttachmentRowButStoresTheContentOnce()
    {
        var file = UploadClient.PngFile(100_000);

        var first = (await UploadClient.UploadAsync(Dossiers, Citizen, UploadClient.Header(file, UploadClient.Png), file)).Attachment;
        var second = (await UploadClient.UploadAsync(Dossiers, Citizen, UploadClient.Header(file, UploadClient.Png), file, chunkSize: 7_000)).Attachment;

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal((2, 1), await RowsAsync());
        Assert.Equal(IsDirectoryStore ? 1 : 0, StoreFiles());
        Assert.Equal(file, await StoredBytesAsync(first.Sha256));
    }

    [Fact]
    public async Task Upload_RetryOfAFinishedUpload_ReturnsTheSameAttachment_WithOrWithoutTheBytes()
    {
        var file = UploadClient.JpegFile(150_000);
        var header = UploadClient.Header(file, UploadClient.Jpeg);
        var first = (await UploadClient.UploadAsync(Dossiers, Citizen, header, file)).Attachment;

        var resent = (await UploadClient.UploadAsync(Dossiers, Citizen, header, file)).Attachment;
        var headerOnly = (await UploadClient.UploadAsync(Dossiers, Citizen, header, [])).Attachment;

        Assert.Equal(first, resent);
        Assert.Equal(first, headerOnly);
        Assert.Equal((1, 1), await RowsAsync());
    }

    [Fact]
    public async Task Upload_SameRequestIdForOtherBytes_IsAlreadyExists_AndStoresNothing()
    {
        var file = UploadClient.PdfFile(10_000);
        var header = UploadClient.Header(file, UploadClient.Pdf);
        await UploadClient.UploadAsync(Dossiers, Citizen, header, file);
        var other = UploadClient.PdfFile(10_000, seed: 99);

        var error = await Assert.ThrowsAsync<RpcException>(() => UploadClient.UploadAsync(Dossiers, Citizen, UploadClient.Header(other, UploadClient.Pdf, header.RequestId), other));

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Equal("REQUEST_ID_REUSED", Reason(error));
        Assert.Equal((1, 1), await RowsAsync());
    }

    [Fact]
    public async Task Upload_BytesOtherThanTheHeadersHash_IsInvalidArgumentOnSha256_AndLeavesNothing()
    {
        var file = UploadClient.PdfFile(200_000);
        var header = UploadClient.Header(file, UploadClient.Pdf);
        file[150_000] ^= 0x01;

        var error = await Assert.ThrowsAsync<RpcException>(() => UploadClient.UploadAsync(Dossiers, Citizen, header, file));

        AssertViolation(error, "header.sha256", "SHA256_MISMATCH");
        await AssertNothingLeftAsync();
    }

    [Fact]
    public async Task Upload_PdfDeclaredAsPng_IsInvalidArgumentOnContentType_AndLeavesNothing()
    {
        var file = UploadClient.PdfFile(200_000);

        var error = await Assert.ThrowsAsync<RpcException>(() => UploadClient.UploadAsync(Dossiers, Citizen, UploadClient.Header(file, UploadClient.Png), file));

        AssertViolation(error, "header.content_type", "CONTENT_TYPE_MISMATCH");
        await AssertNothingLeftAsync();
    }

    [Fact]
    public async Task Upload_BytesOfNoAcceptedType_AreRefusedAtTheFirstChunk_AndLeaveNothing()
    {
        var exe = UploadClient.PdfFile(5_000);
        "MZ\u0090\0\u0003\0\0\0"u8.ToArray().CopyTo(exe, 0);

        var error = await Assert.ThrowsAsync<RpcException>(() => UploadClient.UploadAsync(Dossiers, Citizen, UploadClient.Header(exe, UploadClient.Pdf), exe));

        AssertViolation(error, "chunk", "CONTENT_TYPE_NOT_ACCEPTED");
        await AssertNothingLeftAsync();
    }

    [Fact]
    public async Task Upload_DeclaredPastTheFileLimit_IsRefusedOnTheHeader()
    {
        var header = UploadClient.Header(UploadClient.PdfFile(10), UploadClient.Pdf);
        header.Size = MaxFileBytes + 1;

        var error = await Assert.ThrowsAsync<RpcException>(() => UploadClient.SendAsync(Dossiers, Citizen, [new() { Header = header }]));

        AssertViolation(error, "header.size", "FILE_TOO_LARGE");
        await AssertNothingLeftAsync();
    }

    [Fact]
    public async Task Upload_ClientStreamingPastTheDeclaredSize_IsStoppedAtTheFirstChunkPastIt_AndLeavesNothing()
    {
        var lie = UploadClient.PdfFile(64 * 1024 * 160);
        var header = UploadClient.Header(lie[..1000], UploadClient.Pdf);
        using var call = Dossiers.UploadAttachment(Citizen);
        await call.RequestStream.WriteAsync(new UploadAttachmentRequest { Header = header });
        var written = 0;
        try
        {
            foreach (var chunk in UploadClient.Chunks(lie))
            {
                await call.RequestStream.WriteAsync(chunk);
                written++;
            }
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        AssertViolation(error, "header.size", "SIZE_EXCEEDED");
        // 10 MiB offered; the server's answer stopped the client long before (HTTP/2 flow control holds the rest).
        Assert.True(written < 100, $"the client wrote {written} of 160 chunks");
        await AssertNothingLeftAsync();
    }

    [Fact]
    public async Task Upload_FewerBytesThanDeclared_IsInvalidArgumentOnSize()
    {
        var file = UploadClient.PdfFile(2_000);
        var header = UploadClient.Header(file, UploadClient.Pdf);
        header.Size = 3_000;

        var error = await Assert.ThrowsAsync<RpcException>(() => UploadClient.UploadAsync(Dossiers, Citizen, header, file));

        AssertViolation(error, "header.size", "SIZE_MISMATCH");
        await AssertNothingLeftAsync();
    }

    [Fact]
    public async Task Upload_StreamsBreakingTheFraming_AreInvalidArgument()
    {
        var file = UploadClient.PdfFile(70_000);
        var header = UploadClient.Header(file, UploadClient.Pdf);

        var noHeader = await Assert.ThrowsAsync<RpcException>(() => UploadClient.SendAsync(Dossiers, Citizen, UploadClient.Chunks(file)));
        var empty = await Assert.ThrowsAsync<RpcException>(() => UploadClient.SendAsync(Dossiers, Citizen, []));
        var twoHeaders = await Assert.ThrowsAsync<RpcException>(() => UploadClient.SendAsync(Dossiers, Citizen, [new() { Header = header }, new() { Header = header }]));
        var bigChunk = await Assert.ThrowsAsync<RpcException>(() => UploadClient.UploadAsync(Dossiers, Citizen, header, file, chunkSize: 64 * 1024 + 1));
        var emptyChunk = await Assert.ThrowsAsync<RpcException>(() => UploadClient.SendAsync(Dossiers, Citizen, [new() { Header = header }, new() { Chunk = ByteString.Empty }]));

        AssertViolation(noHeader, "header", "HEADER_FIRST");
        AssertViolation(empty, "header", "HEADER_MISSING");
        AssertViolation(twoHeaders, "header", "HEADER_REPEATED");
        AssertViolation(bigChunk, "chunk", "CHUNK_TOO_LARGE");
        AssertViolation(emptyChunk, "chunk", "CHUNK_EMPTY");
        await AssertNothingLeftAsync();
    }

    [Fact]
    public async Task Upload_BadHeaderFields_AreOneViolationEach()
    {
        var header = new AttachmentHeader { RequestId = "a b", FileName = "../", ContentType = "text/html", Size = -5, Sha256 = "xyz", DocumentName = " \u0000 " };

        var error = await Assert.ThrowsAsync<RpcException>(() => UploadClient.SendAsync(Dossiers, Citizen, [new() { Header = header }]));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(
            ["header.content_type", "header.document_name", "header.file_name", "header.request_id", "header.sha256", "header.size"],
            Violations(error).Select(v => v.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Upload_CancelledMidStream_LeavesNoRowAndNoFile()
    {
        var file = UploadClient.PdfFile(600_000);
        using var cancel = new CancellationTokenSource();
        using var call = Dossiers.UploadAttachment(Citizen.WithCancellationToken(cancel.Token));
        await call.RequestStream.WriteAsync(new UploadAttachmentRequest { Header = UploadClient.Header(file, UploadClient.Pdf) });
        foreach (var chunk in UploadClient.Chunks(file).Take(5))
        {
            await call.RequestStream.WriteAsync(chunk);
        }

        // The server is buffering: its temporary file exists until the call ends.
        await WaitUntilAsync(() => BufferFiles() == 1);
        await cancel.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await WaitUntilAsync(() => BufferFiles() == 0);
        await AssertNothingLeftAsync();
    }

    [Fact]
    public async Task Upload_PastTheUnclaimedLimit_IsResourceExhausted_AndCountsOnlyUnclaimedUploads()
    {
        var ids = new List<string>();
        for (var i = 0; i < MaxUnclaimed; i++)
        {
            var file = UploadClient.PngFile(1_000, seed: i);
            ids.Add((await UploadClient.UploadAsync(Dossiers, Citizen, UploadClient.Header(file, UploadClient.Png), file)).Attachment.Id);
        }

        var one = UploadClient.PngFile(1_000, seed: 100);
        var refused = await Assert.ThrowsAsync<RpcException>(() => UploadClient.UploadAsync(Dossiers, Citizen, UploadClient.Header(one, UploadClient.Png), one));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("UNCLAIMED_ATTACHMENTS_LIMIT", Reason(refused));

        // Another citizen is not held by this one's uploads, and a dossier taking one up makes room.
        var other = TestCallers.Bearer(await TestCallers.CitizenAsync(_server, "001096977891"));
        await UploadClient.UploadAsync(Dossiers, other, UploadClient.Header(one, UploadClient.Png), one);
        await QueryAsync(db => db.Attachments().Where(a => a.Id == Guid.Parse(ids[0])).ExecuteUpdateAsync(s => s.SetProperty(a => a.DossierId, Guid.NewGuid())));
        await UploadClient.UploadAsync(Dossiers, Citizen, UploadClient.Header(one, UploadClient.Png), one);
    }

    [Fact]
    public async Task Purge_DeletesExpiredUnclaimedUploadsAndUnusedContents_KeepsClaimedOnes_AndIsIdempotent()
    {
        var kept = UploadClient.PdfFile(20_000, seed: 1);
        var shared = UploadClient.PngFile(20_000, seed: 2);
        var dropped = UploadClient.JpegFile(20_000, seed: 3);
        var claimed = (await UploadClient.UploadAsync(Dossiers, Citizen, UploadClient.Header(kept, UploadClient.Pdf), kept)).Attachment;
        var sharedClaimed = (await UploadClient.UploadAsync(Dossiers, Citizen, UploadClient.Header(shared, UploadClient.Png), shared)).Attachment;
        await UploadClient.UploadAsync(Dossiers, Citizen, UploadClient.Header(shared, UploadClient.Png), shared);
        await UploadClient.UploadAsync(Dossiers, Citizen, UploadClient.Header(dropped, UploadClient.Jpeg), dropped);
        var dossier = Guid.NewGuid();
        await QueryAsync(db => db.Attachments().Where(a => a.Id == Guid.Parse(claimed.Id) || a.Id == Guid.Parse(sharedClaimed.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.DossierId, dossier)));

        var early = await PurgeAsync(TimeSpan.FromHours(23));
        var purged = await PurgeAsync(TimeSpan.FromHours(25));
        var again = await PurgeAsync(TimeSpan.FromHours(25));

        Assert.Equal(AttachmentPurge.Nothing, early);
        Assert.Equal(new AttachmentPurge(2, 1, 0), purged);
        Assert.Equal(AttachmentPurge.Nothing, again);
        Assert.Equal((2, 2), await RowsAsync());
        Assert.Equal(kept, await StoredBytesAsync(claimed.Sha256));
        Assert.Equal(shared, await StoredBytesAsync(sharedClaimed.Sha256));
        Assert.Null(await OpenAsync(UploadClient.Sha256(dropped)));
        Assert.Equal(IsDirectoryStore ? 2 : 0, StoreFiles());
    }

    [Fact]
    public async Task Purge_ContentStoredAgainByALaterUpload_IsKeptUntilItIsStaleAgain()
    {
        var file = UploadClient.PdfFile(20_000);
        var sha256 = (await UploadClient.UploadAsync(Dossiers, Citizen, UploadClient.Header(file, UploadClient.Pdf), file)).Attachment.Sha256;
        // Its attachment was purged, and the same bytes come again a day later: the store marks the content stored then.
        await QueryAsync(db => db.Attachments().ExecuteDeleteAsync());
        var dayLater = TimeProvider.System.GetUtcNow() + TimeSpan.FromHours(25);
        var store = _server.Services.GetRequiredService<IAttachmentContentStore>();
        await QueryAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var stored = await store.PutAsync(db, sha256, file.Length, new MemoryStream(file), dayLater, CancellationToken.None);
            await transaction.CommitAsync();
            return stored;
        });

        var thatDay = await PurgeJob(new FakeTimeProvider(dayLater)).RunAsync(CancellationToken.None);
        var twoDaysLater = await PurgeJob(new FakeTimeProvider(dayLater + TimeSpan.FromHours(25))).RunAsync(CancellationToken.None);

        Assert.Equal(AttachmentPurge.Nothing, thatDay);
        Assert.Equal(new AttachmentPurge(0, 1, 0), twoDaysLater);
        Assert.Equal(0, StoreFiles());
    }

    [Fact]
    public async Task Purge_FilesACrashedInstanceLeft_AreRemovedOnceOlderThanTheCutOff()
    {
        var buffers = _server.Services.GetRequiredService<UploadBuffers>().Directory;
        Directory.CreateDirectory(buffers);
        var files = new List<string> { Path.Combine(buffers, "crashed.upload") };
        if (_server.Services.GetRequiredService<IAttachmentContentStore>() is DirectoryContentStore directory)
        {
            var orphan = new string('c', 64);
            Directory.CreateDirectory(Path.GetDirectoryName(directory.PathOf(orphan))!);
            files.Add(directory.PathOf(orphan));
            files.Add(directory.PathOf(orphan) + ".0123" + DirectoryContentStore.TemporarySuffix);
        }

        files.ForEach(f => File.WriteAllBytes(f, [1, 2, 3]));

        var early = await PurgeAsync(TimeSpan.FromHours(23));
        var late = await PurgeAsync(TimeSpan.FromHours(25));

        Assert.Equal(AttachmentPurge.Nothing, early);
        Assert.Equal(files.Count, late.Leftovers);
        Assert.All(files, f => Assert.False(File.Exists(f)));
    }

    [Fact]
    public async Task Claim_AnAttachmentTheDossierAlreadyHolds_DoesNotCountTwiceAgainstTheLimit()
    {
        var dossier = Guid.NewGuid();
        var owner = Guid.NewGuid();
        var held = Enumerable.Range(0, AttachmentClaims.MaxPerDossier - 1).Select(i => Row(owner, dossier, i)).ToList();
        var fresh = Row(owner, null, 100);
        await QueryAsync(db =>
        {
            db.Attachments().AddRange([.. held, fresh]);
            return db.SaveChangesAsync();
        });

        var (claimed, problems) = await QueryAsync(db => AttachmentClaims.ClaimAsync(
            db, owner, dossier, [held[0].Id.ToString("D"), fresh.Id.ToString("D")], "attachment_ids", CancellationToken.None));

        Assert.Empty(problems);
        Assert.Equal(2, claimed.Count);
        Assert.Equal(AttachmentClaims.MaxPerDossier, await QueryAsync(db => db.Attachments().CountAsync(a => a.DossierId == dossier)));
    }

    private static AttachmentRecord Row(Guid owner, Guid? dossier, int i) => new()
    {
        Id = Guid.NewGuid(),
        OwnerAccountId = owner,
        RequestId = $"r{i}",
        FileName = "a.pdf",
        ContentType = "application/pdf",
        Size = 10,
        Sha256 = new string('a', 64),
        DocumentName = "CT01",
        UploadedAt = DateTimeOffset.UnixEpoch,
        DossierId = dossier,
    };

    private async Task<AttachmentPurge> PurgeAsync(TimeSpan later)
        => await PurgeJob(new FakeTimeProvider(TimeProvider.System.GetUtcNow() + later)).RunAsync(CancellationToken.None);

    private AttachmentPurgeJob PurgeJob(TimeProvider time) => new(
        _server.Services.GetRequiredService<IServiceScopeFactory>(), _server.Services.GetRequiredService<IAttachmentContentStore>(),
        _server.Services.GetRequiredService<UploadBuffers>(), _server.Services.GetRequiredService<AttachmentOptions>(), time, NullLogger<AttachmentPurgeJob>.Instance);

    private bool IsDirectoryStore => _server.Services.GetRequiredService<IAttachmentContentStore>() is DirectoryContentStore;

    protected async Task<T> QueryAsync<T>(Func<DvcDbContext, Task<T>> query)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<DvcDbContext>());
    }

    private async Task<(int Attachments, int Contents)> RowsAsync()
        => (await QueryAsync(db => db.Attachments().CountAsync()), await QueryAsync(db => db.AttachmentContents().CountAsync()));

    private async Task<Stream?> OpenAsync(string sha256)
        => await QueryAsync(db => _server.Services.GetRequiredService<IAttachmentContentStore>().OpenReadAsync(db, sha256, CancellationToken.None));

    private async Task<byte[]> StoredBytesAsync(string sha256)
    {
        await using var stream = await OpenAsync(sha256) ?? throw new InvalidOperationException($"no content {sha256}");
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Files in the directory store (0 with the database store).</summary>
    protected int StoreFiles() => _server.Services.GetRequiredService<IAttachmentContentStore>() is DirectoryContentStore directory && Directory.Exists(directory.Root)
        ? Directory.EnumerateFiles(directory.Root, "*", SearchOption.AllDirectories).Count()
        : 0;

    private int BufferFiles() => _server.Services.GetRequiredService<UploadBuffers>().Directory is var buffers && Directory.Exists(buffers)
        ? Directory.EnumerateFiles(buffers).Count()
        : 0;

    private async Task AssertNothingLeftAsync()
    {
        Assert.Equal((0, 0), await RowsAsync());
        Assert.Equal(0, StoreFiles());
        await WaitUntilAsync(() => BufferFiles() == 0);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "the condition did not come true within 10 s");
            await Task.Delay(20);
        }
    }

    private static List<BadRequest.Types.FieldViolation> Violations(RpcException error)
        => error.GetRpcStatus()?.Details.Where(d => d.Is(BadRequest.Descriptor)).SelectMany(d => d.Unpack<BadRequest>().FieldViolations).ToList() ?? [];

    private static string? Reason(RpcException error)
        => error.GetRpcStatus()?.Details.Where(d => d.Is(ErrorInfo.Descriptor)).Select(d => d.Unpack<ErrorInfo>().Reason).FirstOrDefault();

    private static void AssertViolation(RpcException error, string field, string reason)
    {
        Assert.True(error.StatusCode == StatusCode.InvalidArgument, $"{error.StatusCode}: {error.Status.Detail}");
        Assert.Contains(Violations(error), v => v.Field == field && v.Reason == reason);
    }
}

public sealed class AttachmentUploadOnSqliteTests : AttachmentUploadTests
{
    protected override Task<InProcessServer> StartServerAsync(params string[] args) => InProcessServer.StartAsync(null, args);
}

public sealed class AttachmentUploadOnSqliteDirectoryTests : AttachmentUploadTests
{
    protected override Task<InProcessServer> StartServerAsync(params string[] args)
        => InProcessServer.StartAsync(null, [.. args, "--Dvc:Dossiers:Attachments:Store=directory"]);
}

[Collection(PostgresCollection.Name)]
public sealed class AttachmentUploadOnPostgresTests(PostgresCluster cluster) : AttachmentUploadTests
{
    protected override async Task<InProcessServer> StartServerAsync(params string[] args) => await InProcessServer.StartAsync(await cluster.CreateDatabaseAsync(), args);
}

[Collection(PostgresCollection.Name)]
public sealed class AttachmentUploadOnPostgresDirectoryTests(PostgresCluster cluster) : AttachmentUploadTests
{
    protected override async Task<InProcessServer> StartServerAsync(params string[] args)
        => await InProcessServer.StartAsync(await cluster.CreateDatabaseAsync(), [.. args, "--Dvc:Dossiers:Attachments:Store=directory"]);
}
