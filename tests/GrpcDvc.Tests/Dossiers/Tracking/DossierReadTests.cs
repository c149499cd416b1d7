using Google.Protobuf;
using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Population.DataAccessLog;
using GrpcDvc.Server.Population.Registry;
using GrpcDvc.Tests.Population;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static GrpcDvc.Tests.Dossiers.Tracking.TrackingServer;

namespace GrpcDvc.Tests.Dossiers.Tracking;

/// <summary>GetDossier, TrackDossier and GetDossierHistory over gRPC against a real database: who may read, what is logged, what tracking shows.</summary>
public abstract class DossierReadTests : IAsyncLifetime
{
    private TrackingServer _server = null!;

    private DossierService.DossierServiceClient Dossiers => _server.Dossiers;

    public async Task InitializeAsync() => _server = await StartAsync(await PostgresAsync());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    [Fact]
    public async Task GetDossier_ByItsApplicant_GivesTheDossierWithItsAttachments_AndLogsASelfServiceRead()
    {
        var row = await _server.AddForCitizenAAsync(attachments: 2, concerned: IdNumber(50));

        var reply = await Dossiers.GetDossierAsync(new GetDossierRequest { Code = row.Code }, As(CitizenA));

        Assert.Equal(row.Code, reply.Dossier.Code);
        Assert.Equal(DossierStatus.Submitted, reply.Dossier.Status);
        Assert.Equal("Mới đăng ký", reply.Dossier.StatusName);
        Assert.Equal("Thành phố Hà Nội", reply.Dossier.UnitName);
        Assert.NotEmpty(reply.Dossier.ProcedureName.Vi);
        Assert.Equal(row.ApplicantIdNumber, reply.Dossier.Applicant.IdNumber);
        Assert.Equal(IdNumber(50), Assert.Single(reply.Dossier.People).Declaration.IdNumber);
        Assert.Equal(["giay-to-0.pdf", "giay-to-1.pdf"], reply.Dossier.Attachments.Select(a => a.FileName));
        var entries = await LogFor(row.Code);
        var entry = Assert.Single(entries);
        Assert.Equal((int)ReadPurpose.SelfService, entry.Purpose);
        Assert.Equal(row.ApplicantIdNumber, entry.SubjectIdNumber);
    }

    [Fact]
    public async Task GetDossier_ByAnotherCitizen_IsRefusedExactlyAsAnUnknownCode()
    {
        var row = await _server.AddForCitizenAAsync();

        var others = await Assert.ThrowsAsync<RpcException>(() => Dossiers.GetDossierAsync(new GetDossierRequest { Code = row.Code }, As(CitizenB)).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Dossiers.GetDossierAsync(new GetDossierRequest { Code = "T-P01-261102-9999" }, As(CitizenB)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, others.StatusCode);
        Assert.Equal((others.StatusCode, others.Status.Detail), (unknown.StatusCode, unknown.Status.Detail));
        Assert.Empty(await LogFor(row.Code));
    }

    [Fact]
    public async Task GetDossier_ByAnOfficialOfAnotherUnit_IsOutsideAgencyScope_AndAnUnknownCodeIsNotFound()
    {
        var row = await _server.AddForCitizenAAsync();

        var outside = await Assert.ThrowsAsync<RpcException>(() => Dossiers.GetDossierAsync(new GetDossierRequest { Code = row.Code }, As(RegistryServer.OfficerB)).ResponseAsync);
        var auditorOutside = await Assert.ThrowsAsync<RpcException>(() => Dossiers.GetDossierAsync(new GetDossierRequest { Code = row.Code }, As(AuditorB)).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Dossiers.GetDossierAsync(new GetDossierRequest { Code = "T-P01-261102-9999" }, As(RegistryServer.OfficerA)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, outside.StatusCode);
        Assert.Equal(Server.Access.AccessReasons.OutsideAgency, ReasonOf(outside));
        Assert.Equal(StatusCode.PermissionDenied, auditorOutside.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Empty(await LogFor(row.Code));
    }

    [Fact]
    public async Task GetDossier_ByAnOfficialOfItsUnit_LogsTheApplicantAndThePeopleConcerned_ForDossierProcessing()
    {
        var row = await _server.AddForCitizenAAsync(concerned: IdNumber(51));

        var reply = await Dossiers.GetDossierAsync(new GetDossierRequest { Code = row.Code }, As(RegistryServer.OfficerA));

        Assert.Equal(row.Code, reply.Dossier.Code);
        var entries = await LogFor(row.Code);
        Assert.Equal([row.ApplicantIdNumber, IdNumber(51)], entries.Select(e => e.SubjectIdNumber).Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal((int)ReadPurpose.DossierProcessing, e.Purpose));
        Assert.All(entries, e => Assert.Equal(RegistryTestData.ProvinceA, e.AgencyCode));
        Assert.All(entries, e => Assert.Equal("/dvc.dossiers.v1.DossierService/GetDossier", e.Rpc));
    }

    [Fact]
    public async Task GetDossier_ByAnAuditorOfItsUnit_IsInTheAccessLogWithTheAuditPurpose()
    {
        var row = await _server.AddForCitizenAAsync();

        await Dossiers.GetDossierAsync(new GetDossierRequest { Code = row.Code }, As(RegistryServer.Auditor));

        var entry = Assert.Single(await LogFor(row.Code));
        Assert.Equal((int)ReadPurpose.Audit, entry.Purpose);
        Assert.Equal(row.ApplicantIdNumber, entry.SubjectIdNumber);
        Assert.Contains("auditor", entry.AccessorRole, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDossier_WhenTheAccessLogCannotBeWritten_ReturnsNothing()
    {
        var row = await _server.AddForCitizenAAsync();
        await _server.Registry.ExecuteSqlAsync("DROP TABLE data_accesses");

        var error = await Assert.ThrowsAsync<RpcException>(() => Dossiers.GetDossierAsync(new GetDossierRequest { Code = row.Code }, As(RegistryServer.OfficerA)).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task TrackDossier_WithCodeAndProcedure_GivesTheStatus_AndNoPersonalData()
    {
        var row = await _server.AddForCitizenAAsync(concerned: IdNumber(52));
        await _server.Rows.ChangeAsync(row.Code, Server.Dossiers.DossierAction.Receive, Server.Dossiers.DossierStatus.Received);

        var reply = await Dossiers.TrackDossierAsync(new TrackDossierRequest { Code = row.Code, ProcedureCode = row.ProcedureCode });

        Assert.Equal(DossierStatus.Received, reply.Status);
        Assert.Equal("Đã tiếp nhận", reply.StatusName);
        Assert.Equal("Thành phố Hà Nội", reply.UnitName);
        var bytes = reply.ToByteArray();
        foreach (var personal in new[] { row.ApplicantIdNumber, row.ApplicantName, IdNumber(52), "0912000111", "Trần Văn Con" })
        {
            Assert.False(ContainsUtf8(bytes, personal), $"the tracking reply carries '{personal}'");
        }

        Assert.Empty(await LogFor(row.Code));
    }

    [Fact]
    public async Task TrackDossier_UnknownCodeAndWrongProcedure_GetTheSameNotFound_AndBothFieldsAreRequired()
    {
        var row = await _server.AddForCitizenAAsync();

        var wrongProcedure = await Assert.ThrowsAsync<RpcException>(() => Dossiers.TrackDossierAsync(new TrackDossierRequest { Code = row.Code, ProcedureCode = "BCA-L4-04" }).ResponseAsync);
        var unknownCode = await Assert.ThrowsAsync<RpcException>(() => Dossiers.TrackDossierAsync(new TrackDossierRequest { Code = row.Code + "9", ProcedureCode = row.ProcedureCode }).ResponseAsync);
        var codeOnly = await Assert.ThrowsAsync<RpcException>(() => Dossiers.TrackDossierAsync(new TrackDossierRequest { Code = row.Code }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, wrongProcedure.StatusCode);
        Assert.Equal((wrongProcedure.StatusCode, wrongProcedure.Status.Detail), (unknownCode.StatusCode, unknownCode.Status.Detail));
        Assert.Equal(wrongProcedure.Trailers.GetValueBytes("grpc-status-details-bin"), unknownCode.Trailers.GetValueBytes("grpc-status-details-bin"));
        Assert.Equal(StatusCode.InvalidArgument, codeOnly.StatusCode);
    }

    [Fact]
    public async Task GetDossierHistory_GivesTheEventsOldestFirst_ChainedFromGenesis()
    {
        var row = await _server.AddForCitizenAAsync();
        await _server.Rows.ChangeAsync(row.Code, Server.Dossiers.DossierAction.Receive, Server.Dossiers.DossierStatus.Received);
        await _server.Rows.ChangeAsync(row.Code, Server.Dossiers.DossierAction.StartProcessing, Server.Dossiers.DossierStatus.Processing);

        var history = await Dossiers.GetDossierHistoryAsync(new GetDossierHistoryRequest { Code = row.Code }, As(CitizenA));

        Assert.Equal([1L, 2L, 3L], history.Events.Select(e => e.Sequence));
        Assert.Equal([DossierAction.Submit, DossierAction.Receive, DossierAction.StartProcessing], history.Events.Select(e => e.Action));
        Assert.Equal(Server.Dossiers.History.HistoryChain.Genesis, history.Events[0].PreviousHash);
        Assert.Equal(history.Events[0].Hash, history.Events[1].PreviousHash);
        Assert.Equal(DossierStatus.Received, history.Events[2].FromStatus);
        var outside = await Assert.ThrowsAsync<RpcException>(() => Dossiers.GetDossierHistoryAsync(new GetDossierHistoryRequest { Code = row.Code }, As(RegistryServer.OfficerB)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, outside.StatusCode);
    }

    private Task<List<DataAccessRecord>> LogFor(string code)
        => _server.Registry.WithDbAsync(db => db.Set<DataAccessRecord>().AsNoTracking().Where(a => a.Reference == code).ToListAsync());

    private static string? ReasonOf(RpcException e) => e.GetErrorInfo()?.Reason;

    private static bool ContainsUtf8(byte[] haystack, string text)
        => haystack.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;
}

public sealed class DossierReadOnSqliteTests : DossierReadTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class DossierReadOnPostgresTests(PostgresCluster cluster) : DossierReadTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
