using System.Globalization;
using Grpc.Core;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Dossiers;
using GrpcDvc.Server.Dossiers.History;
using GrpcDvc.Tests.Population;
using GrpcDvc.Tests.Support;
using static GrpcDvc.Tests.Dossiers.Tracking.TrackingServer;
using ServerAction = GrpcDvc.Server.Dossiers.DossierAction;
using ServerStatus = GrpcDvc.Server.Dossiers.DossierStatus;

namespace GrpcDvc.Tests.Dossiers.Tracking;

/// <summary>
/// VerifyDossierHistory against stored rows changed behind the server's back by raw SQL, as someone with
/// database access would: each kind of tampering is found, at the event where it is.
/// </summary>
public abstract class HistoryTamperingTests : IAsyncLifetime
{
    private TrackingServer _server = null!;
    private DossierRecord _dossier = null!;

    public async Task InitializeAsync()
    {
        // Batches of 2 events: a history of 5 spans three reads, so a break across batches is met too.
        _server = await StartAsync(await PostgresAsync(), "--Dvc:Dossiers:Tracking:VerifyBatchSize=2");
        _dossier = await _server.AddForCitizenAAsync();
        await _server.Rows.ChangeAsync(_dossier.Code, ServerAction.Receive, ServerStatus.Received);
        await _server.Rows.ChangeAsync(_dossier.Code, ServerAction.StartProcessing, ServerStatus.Processing);
        await _server.Rows.ChangeAsync(_dossier.Code, ServerAction.RequestSupplement, ServerStatus.SupplementRequested, "Thiếu CT01");
        await _server.Rows.ChangeAsync(_dossier.Code, ServerAction.Supplement, ServerStatus.Processing, "Đã bổ sung");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    private string Events => $"dossier_events WHERE dossier_id = (SELECT id FROM dossiers WHERE code = '{_dossier.Code}')";

    [Fact]
    public async Task VerifyDossierHistory_OfAnUntouchedHistory_IsIntact()
    {
        var reply = await VerifyAsync();

        Assert.True(reply.Intact, reply.Problem);
        Assert.Equal(5, reply.EventsChecked);
        Assert.Equal(0, reply.FirstBrokenSequence);
    }

    [Fact]
    public async Task VerifyDossierHistory_AfterAReasonIsEdited_BreaksAtThatEvent()
        => await AssertBrokenAtAsync($"UPDATE {Set("reason = 'Hồ sơ đầy đủ'")} AND sequence = 4", 4, "edited");

    [Fact]
    public async Task VerifyDossierHistory_AfterAMiddleEventIsDeleted_BreaksAtTheMissingSequence()
        => await AssertBrokenAtAsync($"DELETE FROM {Events} AND sequence = 3", 3, "missing");

    [Fact]
    public async Task VerifyDossierHistory_AfterTheLastEventIsDeleted_BreaksAtTheLastSequence()
        => await AssertBrokenAtAsync($"DELETE FROM {Events} AND sequence = 5", 5, "deleted");

    [Fact]
    public async Task VerifyDossierHistory_AfterTwoEventsSwapSequences_BreaksAtTheFirstOfThem()
    {
        await _server.Registry.ExecuteSqlAsync($"UPDATE {Set("sequence = 1000")} AND sequence = 2");
        await _server.Registry.ExecuteSqlAsync($"UPDATE {Set("sequence = 2")} AND sequence = 3");
        await _server.Registry.ExecuteSqlAsync($"UPDATE {Set("sequence = 3")} AND sequence = 1000");

        var reply = await VerifyAsync();

        Assert.False(reply.Intact);
        Assert.Equal(2, reply.FirstBrokenSequence);
        Assert.Equal(1, reply.EventsChecked);
    }

    [Fact]
    public async Task VerifyDossierHistory_AfterAWellChainedEventIsForgedOnTheEnd_BreaksAtTheForgedEvent()
    {
        // A forger who knows the layout can chain a new event to the last one; only the dossier's anchor tells.
        var last = (await _server.Dossiers.GetDossierHistoryAsync(new GetDossierHistoryRequest { Code = _dossier.Code }, As(CitizenA))).Events[^1];
        var forged = new DossierEventRecord
        {
            DossierId = _dossier.Id, Sequence = 6, At = last.At.ToDateTimeOffset() + TimeSpan.FromHours(1), Action = "return_result",
            FromStatus = "processing", ToStatus = "result_returned", ActorName = "Kẻ giả mạo", ActorRole = "processing_officer",
            Documents = "[]", PreviousHash = last.Hash, Hash = "",
        };
        forged.Hash = HistoryChain.HashOf(_dossier.Code, forged);
        await _server.Registry.ExecuteSqlAsync(string.Create(CultureInfo.InvariantCulture, $"""
            INSERT INTO dossier_events (dossier_id, sequence, at, action, from_status, to_status, actor_id, actor_name, actor_role, unit_code, reason, documents, request_id, previous_hash, hash)
            SELECT id, 6, {forged.At.ToUnixTimeMilliseconds()}, 'return_result', 'processing', 'result_returned', NULL, 'Kẻ giả mạo', 'processing_officer', NULL, NULL, '[]', NULL, '{forged.PreviousHash}', '{forged.Hash}'
            FROM dossiers WHERE code = '{_dossier.Code}'
            """));

        var reply = await VerifyAsync();

        Assert.False(reply.Intact);
        Assert.Equal(6, reply.FirstBrokenSequence);
        Assert.Equal(5, reply.EventsChecked);
        Assert.Contains("added", reply.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyDossierHistory_AfterAnEventIsSlippedInBeforeTheFirst_BreaksAtTheStart()
    {
        await _server.Registry.ExecuteSqlAsync($"""
            INSERT INTO dossier_events (dossier_id, sequence, at, action, from_status, to_status, actor_id, actor_name, actor_role, unit_code, reason, documents, request_id, previous_hash, hash)
            SELECT dossier_id, 0, at, action, from_status, to_status, actor_id, actor_name, actor_role, unit_code, reason, documents, NULL, previous_hash, hash
            FROM {Events} AND sequence = 1
            """);

        var reply = await VerifyAsync();

        Assert.False(reply.Intact);
        Assert.Equal(1, reply.FirstBrokenSequence);
        Assert.Equal(0, reply.EventsChecked);
    }

    [Fact]
    public async Task VerifyDossierHistory_IsForAuditorsOfTheDossiersUnit()
    {
        var outside = await Assert.ThrowsAsync<RpcException>(() => _server.Dossiers.VerifyDossierHistoryAsync(
            new VerifyDossierHistoryRequest { Code = _dossier.Code }, As(AuditorB)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, outside.StatusCode);
    }

    /// <summary>"dossier_events SET … WHERE (this dossier)", for an UPDATE.</summary>
    private string Set(string assignments) => Events.Replace("dossier_events WHERE", $"dossier_events SET {assignments} WHERE", StringComparison.Ordinal);

    private async Task AssertBrokenAtAsync(string sql, long sequence, string problemWord)
    {
        await _server.Registry.ExecuteSqlAsync(sql);

        var reply = await VerifyAsync();

        Assert.False(reply.Intact);
        Assert.Equal(sequence, reply.FirstBrokenSequence);
        Assert.Equal(sequence - 1, reply.EventsChecked);
        Assert.Contains(problemWord, reply.Problem, StringComparison.Ordinal);
    }

    private Task<VerifyDossierHistoryResponse> VerifyAsync()
        => _server.Dossiers.VerifyDossierHistoryAsync(new VerifyDossierHistoryRequest { Code = _dossier.Code }, As(RegistryServer.Auditor)).ResponseAsync;
}

public sealed class HistoryTamperingOnSqliteTests : HistoryTamperingTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class HistoryTamperingOnPostgresTests(PostgresCluster cluster) : HistoryTamperingTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
