using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Dossiers;
using GrpcDvc.Server.Dossiers.History;
using GrpcDvc.Server.Dossiers.Submission;
using GrpcDvc.Server.Population.DataAccessLog;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Population;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static GrpcDvc.Tests.Dossiers.Submission.SubmissionServer;

namespace GrpcDvc.Tests.Dossiers.Submission;

/// <summary>SubmitDossier through the real server and database: what it writes, what it refuses, where it routes. Once per provider.</summary>
public abstract class SubmissionTests : IAsyncLifetime
{
    protected SubmissionServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await SubmissionServer.StartAsync(await PostgresAsync());

    public async Task DisposeAsync() => await Server.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    [Fact]
    public async Task Submit_TemporaryResidence_WritesDossierPeopleAndAChainedSubmitEventInOneGo()
    {
        var applicant = await Server.CitizenAsync("lan", "Nguyễn Thị Lan");
        var child = await Server.Registry.Data.AddCitizenAsync("Trần Minh Khôi", 2015);
        var request = TemporaryResidence(applicant);
        request.People.Add(new PersonConcerned { Declaration = Declare(child), Relationship = "con" });

        var dossier = (await Server.SubmitAsync("lan", request)).Dossier;

        Assert.Equal($"{RegistryTestData.MergedCommuneA}-261207-0001", dossier.Code);
        Assert.Equal((GrpcDvc.Contracts.Dossiers.V1.DossierStatus.Submitted, "Mới đăng ký", 1L), (dossier.Status, dossier.StatusName, dossier.Version));
        Assert.Equal(("Đăng ký tạm trú thực hiện tại Công an cấp xã", "Phường Hồng Hà"), (dossier.ProcedureName.Vi, dossier.UnitName));
        Assert.Equal(MondayMorning, dossier.SubmittedAt.ToDateTimeOffset());
        Assert.Equal(MondayMorning, dossier.ClockStartedAt.ToDateTimeOffset());
        // 3 working days from Monday: Tuesday, Wednesday, Thursday (Saturday mornings would count half).
        Assert.Equal(Vn(2026, 12, 10, 17, 0), dossier.DueAt.ToDateTimeOffset());
        Assert.Equal(["con"], dossier.People.Select(p => p.Relationship));
        var (row, people, events) = await Server.WithDbAsync(async db => (
            await db.Dossiers().SingleAsync(),
            await db.DossierPeople().OrderBy(p => p.Role).ToListAsync(),
            await db.DossierEvents().ToListAsync()));
        Assert.Equal([(applicant.IdNumber, "applicant"), (child.IdNumber, "concerned")], people.Select(p => (p.IdNumber, p.Role)));
        var submitted = Assert.Single(events);
        Assert.Equal(("submit", "submitted", "citizen", request.RequestId), (submitted.Action, submitted.ToStatus, submitted.ActorRole, submitted.RequestId));
        Assert.True(HistoryChain.Verify(row, events).Intact);
        Assert.Equal((1L, submitted.Hash, "[]"), (row.EventCount, row.HistoryHead, row.ClockStops));
        Assert.Equal(RegistryTestData.CommuneA, DossierDetails.FromJson(row.Details).CommuneCode);
    }

    [Fact]
    public async Task Submit_ManyProblems_AnswersEveryOneAtOnceAsFieldViolations()
    {
        var applicant = await Server.CitizenAsync("lan");
        var request = TemporaryResidence(applicant);
        request.RequestId = "not-a-uuid";
        request.Applicant.FullName = "";
        request.CommuneCode = "X-NOWHERE";
        request.StationId = "station-7";
        request.Delivery = new ResultDelivery { Method = DeliveryMethod.Email, Email = "lan@" };
        request.People.Add(new PersonConcerned { Declaration = new Declaration { IdNumber = "12345" }, Relationship = new string('x', 65) });
        request.Form["bad key"] = "x";

        var refused = await Assert.ThrowsAsync<RpcException>(() => Server.SubmitAsync("lan", request));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var fields = refused.GetBadRequest()!.FieldViolations.Select(v => v.Field).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "request_id", "applicant.full_name", "commune_code", "station_id", "delivery.email",
            "people[0].declaration.id_number", "people[0].declaration.full_name", "people[0].relationship", "form.bad key",
        }, fields);
        Assert.Equal((0, 0, 0, 0), await Server.CountsAsync());
    }

    [Theory]
    [InlineData("BCA-L4-07", "adjustment", null, "FORM_VALUE_REQUIRED")]
    [InlineData("BCA-L4-07", "adjustment", "Thay đổi họ tên", "FORM_VALUE_NOT_A_CHOICE")]
    [InlineData("BCA-L4-08", "address_detail", null, "FORM_VALUE_REQUIRED")]
    [InlineData("BCA-L4-07", "household_head_id_number", null, "FORM_VALUE_REQUIRED")] // the new head, for "Thay đổi chủ hộ"
    public async Task Submit_ResidenceDataProcedure_WithoutWhatItsRegistryEffectNeeds_IsInvalid(string procedure, string key, string? value, string reason)
    {
        var applicant = await Server.CitizenAsync("lan");
        var request = TemporaryResidence(applicant);
        UseProcedure(request, procedure, applicant);
        request.Form.Remove(key);
        if (value is not null)
        {
            request.Form[key] = value;
        }

        var refused = await Assert.ThrowsAsync<RpcException>(() => Server.SubmitAsync("lan", request));

        Assert.Equal(reason, Assert.Single(refused.GetBadRequest()!.FieldViolations, v => v.Field == $"form.{key}").Reason);
        Assert.Equal((0, 0, 0, 0), await Server.CountsAsync());
    }

    [Fact]
    public async Task Submit_RenamedAddressAdjustment_NeedsTheNewWording_ButNotANewHead()
    {
        var applicant = await Server.CitizenAsync("lan");
        var request = TemporaryResidence(applicant);
        UseProcedure(request, "BCA-L4-07", applicant);
        request.Form.Remove("household_head_id_number");
        request.Form["adjustment"] = "Thay đổi địa chỉ do điều chỉnh địa giới, tên đơn vị hành chính, tên đường, số nhà";

        var refused = await Assert.ThrowsAsync<RpcException>(() => Server.SubmitAsync("lan", request));

        Assert.Equal("FORM_VALUE_REQUIRED", Assert.Single(refused.GetBadRequest()!.FieldViolations).Reason);
        Assert.Equal("form.address_detail", Assert.Single(refused.GetBadRequest()!.FieldViolations).Field);
        request.Form["address_detail"] = "12 Phố Thử Mới";
        Assert.NotEmpty((await Server.SubmitAsync("lan", request)).Dossier.Code);
    }

    [Fact]
    public async Task Submit_SomeoneElsesIdNumberAsApplicant_IsRefused()
    {
        await Server.CitizenAsync("lan");
        var other = await Server.Registry.Data.AddCitizenAsync("Lê Văn Khác", 1970);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Server.SubmitAsync("lan", TemporaryResidence(other)));

        Assert.Equal("NOT_OWN_ID_NUMBER", Assert.Single(refused.GetBadRequest()!.FieldViolations, v => v.Field == "applicant.id_number").Reason);
    }

    [Fact]
    public async Task Submit_TooManyPeopleOrADeliveryTheProcedureLacks_IsInvalid()
    {
        var applicant = await Server.CitizenAsync("lan");
        var request = TemporaryResidence(applicant);
        UseProcedure(request, "BCA-L3-01", applicant);
        request.CommuneCode = "";
        for (var i = 0; i < SubmissionRules.MaxPeople + 1; i++)
        {
            request.People.Add(new PersonConcerned { Declaration = Declare(applicant), Relationship = "con" });
        }

        var refused = await Assert.ThrowsAsync<RpcException>(() => Server.SubmitAsync("lan", request));

        var reasons = refused.GetBadRequest()!.FieldViolations.ToDictionary(v => v.Field, v => v.Reason);
        Assert.Equal("TOO_MANY_PEOPLE", reasons["people"]);
        // Identity cards (level 3) are delivered in person or by post, never online.
        Assert.Equal("DELIVERY_METHOD_NOT_ALLOWED", reasons["delivery.method"]);
    }

    [Fact]
    public async Task Submit_PostalWithoutAFullAddress_NamesEachMissingPart()
    {
        var applicant = await Server.CitizenAsync("lan");
        var request = TemporaryResidence(applicant);
        request.Delivery = new ResultDelivery
        {
            Method = DeliveryMethod.Postal,
            PostalAddress = new PostalAddress { RecipientName = "Nguyễn Văn Nộp", Phone = "0212345678", CommuneCode = "T-NONE" },
        };

        var refused = await Assert.ThrowsAsync<RpcException>(() => Server.SubmitAsync("lan", request));

        Assert.Equal(
            ["delivery.postal_address.commune_code", "delivery.postal_address.detail", "delivery.postal_address.phone"],
            refused.GetBadRequest()!.FieldViolations.Select(v => v.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Submit_WithOwnUploads_TakesThemUp_AndSomeoneElsesIsRefusedWithNothingWritten()
    {
        var applicant = await Server.CitizenAsync("lan");
        var own = await Server.AttachmentAsync(Server.Registry.Callers.Find("lan")!.AccountId, "Hợp đồng thuê nhà");
        var foreign = await Server.AttachmentAsync(Guid.NewGuid(), "Giấy tờ của người khác");
        var refusedRequest = TemporaryResidence(applicant);
        refusedRequest.AttachmentIds.Add(own.ToString());
        refusedRequest.AttachmentIds.Add(foreign.ToString());

        var refused = await Assert.ThrowsAsync<RpcException>(() => Server.SubmitAsync("lan", refusedRequest));
        Assert.Equal(("attachment_ids[1]", "ATTACHMENT_NOT_FOUND"), refused.GetBadRequest()!.FieldViolations.Select(v => (v.Field, v.Reason)).Single());
        Assert.Equal((0, 0, 0, 0), await Server.CountsAsync());

        var request = TemporaryResidence(applicant);
        request.AttachmentIds.Add(own.ToString());
        var dossier = (await Server.SubmitAsync("lan", request)).Dossier;

        Assert.Equal("Hợp đồng thuê nhà", Assert.Single(dossier.Attachments).DocumentName);
        var (holder, documents) = await Server.WithDbAsync(async db => (
            await db.Attachments().Where(a => a.Id == own).Select(a => a.DossierId).SingleAsync(),
            await db.DossierEvents().Select(e => e.Documents).SingleAsync()));
        Assert.Equal(await Server.WithDbAsync(db => db.Dossiers().Select(d => (Guid?)d.Id).SingleAsync()), holder);
        Assert.Equal(["Hợp đồng thuê nhà"], HistoryChain.ReadDocuments(documents));
    }

    [Fact]
    public async Task Submit_WellFormedButUnknownProcedure_IsNotFound()
    {
        var applicant = await Server.CitizenAsync("lan");
        var request = TemporaryResidence(applicant);
        request.ProcedureCode = "BCA-L4-99";

        var refused = await Assert.ThrowsAsync<RpcException>(() => Server.SubmitAsync("lan", request));

        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task Submit_DeclaredDataDiffersFromTheRegistry_FailedPreconditionNamingTheFields_AndNothingWritten()
    {
        var applicant = await Server.CitizenAsync("lan");
        var child = await Server.Registry.Data.AddCitizenAsync("Trần Minh Khôi", 2015);
        var request = TemporaryResidence(applicant);
        var misspelt = Declare(child);
        misspelt.FullName = "Trần Minh Khoi";
        request.People.Add(new PersonConcerned { Declaration = misspelt, Relationship = "con" });
        var stranger = Declare(child);
        stranger.IdNumber = "001215009999";
        request.People.Add(new PersonConcerned { Declaration = stranger, Relationship = "con" });

        var refused = await Assert.ThrowsAsync<RpcException>(() => Server.SubmitAsync("lan", request));

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal(RegistryCheck.MismatchReason, refused.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal(
            [("people[0].declaration.full_name", RegistryCheck.MismatchReason), ("people[1].declaration.id_number", RegistryCheck.NotFoundType)],
            refused.GetPreconditionFailure()!.Violations.Select(v => (v.Subject, v.Type)));
        Assert.Contains("commune police", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("Công an cấp xã để điều chỉnh thông tin", refused.GetDetail<LocalizedMessage>()!.Message, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0, 0), await Server.CountsAsync());
        // The check is a registry read like any other: each person read is in the access log.
        var logged = await Server.WithDbAsync(db => db.Set<DataAccessRecord>().Where(a => a.Rpc.EndsWith("SubmitDossier")).Select(a => a.SubjectIdNumber).ToListAsync());
        Assert.Equal(3, logged.Count);
    }

    [Fact]
    public async Task Route_MergedCommune_GoesToItsSuccessor_ProvinceLevelToTodaysProvince_DistrictLevelToTheCommune()
    {
        var applicant = await Server.CitizenAsync("lan");
        var residence = TemporaryResidence(applicant);
        var extraction = TemporaryResidence(applicant);
        UseProcedure(extraction, "BCA-L4-15", applicant);
        extraction.CommuneCode = "";
        var districtExtraction = TemporaryResidence(applicant);
        UseProcedure(districtExtraction, "BCA-L4-16", applicant);

        var units = new List<string>();
        foreach (var request in new[] { residence, extraction, districtExtraction })
        {
            units.Add((await Server.SubmitAsync("lan", request)).Dossier.UnitCode);
        }

        Assert.Equal([RegistryTestData.MergedCommuneA, RegistryTestData.ProvinceA, RegistryTestData.MergedCommuneA], units);
        var unitIds = await Server.WithDbAsync(db => db.Dossiers().Select(d => d.UnitId).Distinct().ToListAsync());
        Assert.Equal([RegistryTestData.ProvinceAId, RegistryTestData.MergedCommuneAId], unitIds.Order());
    }

    [Fact]
    public async Task Submit_SameRequestIdAgain_ReturnsTheFirstDossierAndWritesNothing()
    {
        var applicant = await Server.CitizenAsync("lan");
        var request = TemporaryResidence(applicant);
        var first = (await Server.SubmitAsync("lan", request)).Dossier;
        Server.Clock.Advance(TimeSpan.FromMinutes(5));

        var again = (await Server.SubmitAsync("lan", request)).Dossier;

        Assert.Equal((first.Code, first.SubmittedAt, first.Version), (again.Code, again.SubmittedAt, again.Version));
        Assert.Equal((1, 1, 1, 1), await Server.CountsAsync());
        Assert.Equal(1, await Server.WithDbAsync(db => db.DossierCodeCounters().Select(c => c.LastNumber).SingleAsync()));
    }

    [Fact]
    public async Task Submit_TheSameRequestTwiceAtOnce_OneDossierBothAnswersAlike()
    {
        var applicant = await Server.CitizenAsync("lan");
        var request = TemporaryResidence(applicant);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Server.SubmitAsync("lan", request)));

        Assert.Single(answers.Select(a => a.Dossier.Code).Distinct());
        Assert.Equal((1, 1, 1, 1), await Server.CountsAsync());
        // The losers' numbers went back with their transactions.
        Assert.Equal(1, await Server.WithDbAsync(db => db.DossierCodeCounters().Select(c => c.LastNumber).SingleAsync()));
    }

    [Fact]
    public async Task Codes_FiftyConcurrentSubmissionsToOneUnitOnOneDay_AreExactly0001To0050()
    {
        var citizens = new List<(string Key, CitizenRow Row)>();
        for (var i = 0; i < 50; i++)
        {
            citizens.Add(($"c{i}", await Server.CitizenAsync($"c{i}", $"Phạm Văn Số {i}")));
        }

        var answers = await Task.WhenAll(citizens.Select(c => Server.SubmitAsync(c.Key, TemporaryResidence(c.Row))));

        var expected = Enumerable.Range(1, 50).Select(n => $"{RegistryTestData.MergedCommuneA}-261207-{n:D4}");
        Assert.Equal(expected, answers.Select(a => a.Dossier.Code).Order(StringComparer.Ordinal));
        Assert.Equal(50, await Server.WithDbAsync(db => db.DossierCodeCounters().Select(c => c.LastNumber).SingleAsync()));
    }

    [Fact]
    public async Task Codes_ARolledBackAllocation_LeavesNoGap()
    {
        var day = new DateOnly(2026, 12, 7);
        await using var scope = Server.Registry.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();

        await using (var abandoned = await db.Database.BeginTransactionAsync())
        {
            Assert.Equal(1, await DossierCodes.NextNumberAsync(db, "T-X01N", day, CancellationToken.None));
            Assert.Equal(2, await DossierCodes.NextNumberAsync(db, "T-X01N", day, CancellationToken.None));
            await abandoned.RollbackAsync();
        }

        await using var kept = await db.Database.BeginTransactionAsync();
        Assert.Equal(1, await DossierCodes.NextNumberAsync(db, "T-X01N", day, CancellationToken.None));
        Assert.Equal(1, await DossierCodes.NextNumberAsync(db, "T-X01N", day.AddDays(1), CancellationToken.None));
        await kept.CommitAsync();
    }
}

public sealed class SubmissionOnSqliteTests : SubmissionTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class SubmissionOnPostgresTests(PostgresCluster cluster) : SubmissionTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
