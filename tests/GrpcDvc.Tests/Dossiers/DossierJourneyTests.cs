using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Tests.Dossiers.Submission;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Dossiers;

/// <summary>
/// Two procedures walked end to end through the real server and gate, once per provider: a demo
/// citizen signs in VNeID-style and submits a temporary-residence registration (BCA-L4-03) and an
/// identity-data information request (BCA-L4-15, form DC02); the competent unit's officials receive,
/// process, approve, issue and return each result; the citizen's WatchDossier sees every step as it
/// happens and ends at the returned result; an auditor finds the history intact; the residence is in
/// the registry afterwards.
/// </summary>
public abstract class DossierJourneyTests
{
    protected abstract Task<string?> PostgresAsync();

    [Fact]
    public async Task TemporaryResidence_FromSubmissionToReturnedResult_WatchedLive_HistoryIntact_RegistryUpdated()
    {
        await using var server = await InProcessServer.StartAsync(await PostgresAsync(), "--Dvc:Population:DemoCitizens=2000");
        var citizen = await SubmitOverGrpcTests.SignInAsync(server);
        var me = (await new PopulationService.PopulationServiceClient(server.Channel).GetMyRecordAsync(new GetMyRecordRequest(), citizen)).Citizen;
        var request = Submission(me, "BCA-L4-03");
        request.Form["address_detail"] = "Số 12 ngõ 34 phố Kim Mã";
        request.Form["to_date"] = "2028-12-31";

        var returned = await WalkAsync(server, citizen, request);

        Assert.Equal(me.PermanentResidence.CommuneCode, returned.UnitCode);
        Assert.Equal("CT04", returned.Receipt.FormCode);
        var after = (await new PopulationService.PopulationServiceClient(server.Channel).GetMyRecordAsync(new GetMyRecordRequest(), citizen)).Citizen;
        Assert.Contains("Số 12 ngõ 34 phố Kim Mã", after.TemporaryResidence.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InformationRequest_FromSubmissionToReturnedResult_WatchedLive_HistoryIntact()
    {
        await using var server = await InProcessServer.StartAsync(await PostgresAsync(), "--Dvc:Population:DemoCitizens=2000");
        var citizen = await SubmitOverGrpcTests.SignInAsync(server);
        var me = (await new PopulationService.PopulationServiceClient(server.Channel).GetMyRecordAsync(new GetMyRecordRequest(), citizen)).Citizen;
        var request = Submission(me, "BCA-L4-15");
        request.Delivery = new ResultDelivery { Method = DeliveryMethod.Email, Email = "anh.nguyen@example.vn" };

        var returned = await WalkAsync(server, citizen, request);

        // Province level: today's Hà Nội police, whatever the citizen's commune.
        Assert.Equal("P34-01", returned.UnitCode);
        Assert.Equal("anh.nguyen@example.vn", returned.Delivery.Email);
    }

    /// <summary>Submits, watches, and has the unit's officials take the dossier to its returned result; checks what the watcher saw and the history.</summary>
    private static async Task<Dossier> WalkAsync(InProcessServer server, CallOptions citizen, SubmitDossierRequest request)
    {
        var dossiers = new DossierService.DossierServiceClient(server.Channel);
        var submitted = (await dossiers.SubmitDossierAsync(request, citizen)).Dossier;
        Assert.Equal((DossierStatus.Submitted, "Mới đăng ký"), (submitted.Status, submitted.StatusName));
        var official = Access.TestCallers.Bearer(await Access.TestCallers.OfficialAsync(
            server, submitted.UnitCode, Role.IntakeOfficer, Role.ProcessingOfficer, Role.ApprovingLeader));
        var auditor = Access.TestCallers.Bearer(await Access.TestCallers.OfficialAsync(server, submitted.UnitCode, Role.Auditor));

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watch = dossiers.WatchDossier(new WatchDossierRequest { Code = submitted.Code }, citizen.WithCancellationToken(deadline.Token));
        var seen = new List<WatchDossierResponse>();
        Assert.True(await watch.ResponseStream.MoveNext(deadline.Token));
        seen.Add(watch.ResponseStream.Current);
        var watching = Task.Run(async () =>
        {
            while (await watch.ResponseStream.MoveNext(deadline.Token))
            {
                seen.Add(watch.ResponseStream.Current);
            }
        });

        var code = submitted.Code;
        var v = (await dossiers.ReceiveDossierAsync(new ReceiveDossierRequest { RequestId = Id(), Code = code, ExpectedVersion = submitted.Version }, official)).Dossier.Version;
        v = (await dossiers.StartProcessingAsync(new StartProcessingRequest { RequestId = Id(), Code = code, ExpectedVersion = v }, official)).Dossier.Version;
        v = (await dossiers.ApproveDossierAsync(new ApproveDossierRequest { RequestId = Id(), Code = code, ExpectedVersion = v, Note = "Đồng ý" }, official)).Dossier.Version;
        v = (await dossiers.IssueResultAsync(new IssueResultRequest { RequestId = Id(), Code = code, ExpectedVersion = v, DocumentNumber = "12/TB-CAX", Summary = "Đã giải quyết" }, official)).Dossier.Version;
        var returned = (await dossiers.ReturnResultAsync(new ReturnResultRequest { RequestId = Id(), Code = code, ExpectedVersion = v }, official)).Dossier;
        await watching;

        // The first message is the dossier as it was, then one message per change, in order; the stream ends at the final status.
        Assert.Null(seen[0].Event);
        Assert.Equal(
            [DossierStatus.Submitted, DossierStatus.Received, DossierStatus.Processing, DossierStatus.Approved, DossierStatus.ResultIssued, DossierStatus.ResultReturned],
            seen.Select(s => s.Event?.ToStatus ?? s.Dossier.Status));
        Assert.Equal((DossierStatus.ResultReturned, "Đã trả kết quả"), (returned.Status, returned.StatusName));
        Assert.Equal("12/TB-CAX", returned.Result.DocumentNumber);

        var history = (await dossiers.GetDossierHistoryAsync(new GetDossierHistoryRequest { Code = code }, auditor)).Events;
        Assert.Equal(
            [DossierAction.Submit, DossierAction.Receive, DossierAction.StartProcessing, DossierAction.Approve, DossierAction.IssueResult, DossierAction.ReturnResult],
            history.Select(e => e.Action));
        var verified = await dossiers.VerifyDossierHistoryAsync(new VerifyDossierHistoryRequest { Code = code }, auditor);
        Assert.Equal((true, 6L), (verified.Intact, verified.EventsChecked));
        var tracked = await dossiers.TrackDossierAsync(new TrackDossierRequest { Code = code, ProcedureCode = request.ProcedureCode });
        Assert.Equal(DossierStatus.ResultReturned, tracked.Status);
        return returned;
    }

    private static SubmitDossierRequest Submission(Citizen me, string procedure)
    {
        var birth = new DateOnly(me.BirthDate.Year, Math.Max(me.BirthDate.Month, 1), Math.Max(me.BirthDate.Day, 1));
        return new SubmitDossierRequest
        {
            RequestId = Id(),
            ProcedureCode = procedure,
            Applicant = new Declaration { IdNumber = me.IdNumber, FullName = me.FullName, BirthDate = me.BirthDate, Gender = me.Gender },
            Form = { SubmissionServer.FormFor(procedure, me.FullName, birth, me.Gender == Gender.Female, me.IdNumber) },
            Delivery = new ResultDelivery { Method = DeliveryMethod.Online },
        };
    }

    private static string Id() => Guid.NewGuid().ToString("D");
}

public sealed class DossierJourneyOnSqliteTests : DossierJourneyTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class DossierJourneyOnPostgresTests(PostgresCluster cluster) : DossierJourneyTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
