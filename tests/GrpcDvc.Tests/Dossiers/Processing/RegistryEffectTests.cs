using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Dossiers.Processing;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Domain = GrpcDvc.Server.Dossiers;

namespace GrpcDvc.Tests.Dossiers.Processing;

/// <summary>
/// Issuing the result of a residence procedure changes the population registry in the same
/// transaction as the status: each procedure's effect, and a failing effect that leaves the dossier
/// and the registry as they were. Through gRPC, once per provider.
/// </summary>
public abstract class RegistryEffectTests : IAsyncLifetime
{
    private InProcessServer _server = null!;

    private ProcessingWorld World { get; set; } = null!;

    private AdministrativeUnitRow Home { get; set; } = null!;

    private AdministrativeUnitRow Elsewhere { get; set; } = null!;

    private CallOptions Leader { get; set; }

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync();
        World = new ProcessingWorld(_server);
        Home = await World.CommuneAsync();
        Elsewhere = await World.CommuneAsync();
        Leader = await World.OfficialAsync("P34-01", Role.ApprovingLeader);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract Task<InProcessServer> StartServerAsync();

    private async Task<IssueResultResponse> IssueAsync(string procedure, CitizenRow applicant, Dictionary<string, string> form, IReadOnlyList<Domain.ConcernedPerson>? people = null)
    {
        var dossier = await World.DossierAsync(Home, Guid.NewGuid(), applicant.IdNumber, Domain.DossierStatus.Approved, procedure, form, people);
        return await World.Client.IssueResultAsync(new IssueResultRequest { RequestId = Guid.NewGuid().ToString("D"), Code = dossier.Code, DocumentNumber = "15/TB-CAP" }, Leader);
    }

    private async Task<T> ReadAsync<T>(Func<Server.Storage.DvcDbContext, Task<T>> read)
    {
        T result = default!;
        await World.WithDbAsync(async db => result = await read(db));
        return result;
    }

    private Task<CitizenRow> CitizenNowAsync(long id) => ReadAsync(db => db.Set<CitizenRow>().AsNoTracking().FirstAsync(c => c.Id == id));

    private Task<List<ResidenceRecordRow>> ResidencesAsync(long citizenId)
        => ReadAsync(db => db.Set<ResidenceRecordRow>().AsNoTracking().Where(r => r.CitizenId == citizenId).OrderBy(r => r.Id).ToListAsync());

    private static Domain.ConcernedPerson Person(CitizenRow c, string relationship)
        => new(new Domain.DeclaredPerson(c.IdNumber, c.FullName, c.BirthYear, 5, 17, "male", null, null, null, null), relationship);

    private static Dictionary<string, string> At(AdministrativeUnitRow commune, string detail, string? from = null, string? to = null)
    {
        var form = new Dictionary<string, string> { ["address_commune_code"] = commune.Code, ["address_detail"] = detail };
        if (from is not null)
        {
            form["from_date"] = from;
        }

        if (to is not null)
        {
            form["to_date"] = to;
        }

        return form;
    }

    [Fact]
    public async Task TemporaryResidenceRegistration_IssuedResult_RecordsTheResidence_AndTheCitizenLivesThere()
    {
        var citizen = await World.CitizenAsync(Home);

        var response = await IssueAsync("BCA-L4-03", citizen, At(Elsewhere, "Phòng 402, 8 Phố Tạm", "2026-12-01", "2027-11-30"));

        Assert.Equal((DossierStatus.ResultIssued, "CT08"), (response.Dossier.Status, response.Dossier.Result.FormCode));
        var now = await CitizenNowAsync(citizen.Id);
        Assert.Equal((Elsewhere.Id, "Phòng 402, 8 Phố Tạm", Elsewhere.Id, ProcessingWorld.HaNoi), (now.TemporaryUnitId, now.TemporaryAddress, now.CurrentUnitId, now.CurrentProvinceId));
        var temporary = Assert.Single(await ResidencesAsync(citizen.Id), r => r.Kind == ResidenceKind.Temporary);
        Assert.Equal((new DateOnly(2026, 12, 1), new DateOnly(2027, 11, 30)), (temporary.ValidFrom, temporary.ValidTo));
    }

    [Fact]
    public async Task TemporaryResidenceExtension_MovesTheEnd_AndDeletionEndsIt_BackToThePermanentResidence()
    {
        var citizen = await World.CitizenAsync(Home);
        await IssueAsync("BCA-L4-03", citizen, At(Elsewhere, "8 Phố Tạm", "2026-01-01", "2026-12-31"));

        await IssueAsync("BCA-L4-04", citizen, new Dictionary<string, string> { ["to_date"] = "2028-12-31" });
        var extended = Assert.Single(await ResidencesAsync(citizen.Id), r => r.Kind == ResidenceKind.Temporary);
        await IssueAsync("BCA-L4-05", citizen, new Dictionary<string, string> { ["from_date"] = "2027-03-01" });

        Assert.Equal(new DateOnly(2028, 12, 31), extended.ValidTo);
        var deleted = Assert.Single(await ResidencesAsync(citizen.Id), r => r.Kind == ResidenceKind.Temporary);
        Assert.Equal(new DateOnly(2027, 3, 1), deleted.ValidTo);
        var now = await CitizenNowAsync(citizen.Id);
        Assert.Equal((null, null, Home.Id, "12 Phố Thử"), (now.TemporaryUnitId, now.TemporaryAddress, now.CurrentUnitId, now.CurrentAddress));
    }

    [Fact]
    public async Task PermanentResidenceRegistration_NewHousehold_ClosesTheOldResidence_AndHeadsTheNewHousehold()
    {
        var citizen = await World.CitizenAsync(Home);
        var oldHousehold = citizen.HouseholdId;

        await IssueAsync("BCA-L4-01", citizen, At(Elsewhere, "25 Đường Mới", "2026-12-01"));

        var records = await ResidencesAsync(citizen.Id);
        Assert.Equal(new DateOnly(2026, 11, 30), records.Single(r => r.UnitId == Home.Id).ValidTo);
        Assert.Null(records.Single(r => r.UnitId == Elsewhere.Id && r.Kind == ResidenceKind.Permanent).ValidTo);
        var now = await CitizenNowAsync(citizen.Id);
        Assert.Equal((Elsewhere.Id, "25 Đường Mới", Elsewhere.Id, RelationToHead.Head), (now.PermanentUnitId, now.PermanentAddress, now.CurrentUnitId, now.RelationToHead));
        Assert.NotEqual(oldHousehold, now.HouseholdId);
        var household = await ReadAsync(db => db.Set<HouseholdRow>().AsNoTracking().FirstAsync(h => h.Id == now.HouseholdId));
        Assert.Equal((citizen.Id, Elsewhere.Id, "25 Đường Mới"), (household.HeadCitizenId, household.UnitId, household.Address));
    }

    [Fact]
    public async Task PermanentResidenceRegistration_IntoAHousehold_JoinsItWithTheRelationFromTheForm()
    {
        var head = await World.CitizenAsync(Elsewhere);
        var joining = await World.CitizenAsync(Home);
        var form = At(Elsewhere, "12 Phố Thử");
        form["household_head_id_number"] = head.IdNumber;
        form["relation_to_head"] = "Con dâu";

        await IssueAsync("BCA-L4-01", joining, form);

        var now = await CitizenNowAsync(joining.Id);
        Assert.Equal((head.HouseholdId, RelationToHead.DaughterInLaw), (now.HouseholdId, now.RelationToHead));
    }

    [Fact]
    public async Task PermanentResidenceDeletion_ClosesTheRecord_AndTakesThePersonOutOfTheHousehold()
    {
        var head = await World.CitizenAsync(Home);
        var member = await World.CitizenAsync(Home, head.HouseholdId, RelationToHead.Child);

        await IssueAsync("BCA-L4-02", member, new Dictionary<string, string> { ["from_date"] = "2026-12-15" });

        Assert.Equal(new DateOnly(2026, 12, 15), Assert.Single(await ResidencesAsync(member.Id)).ValidTo);
        var now = await CitizenNowAsync(member.Id);
        Assert.Equal((null, null), (now.HouseholdId, now.RelationToHead));
        Assert.Equal(head.HouseholdId, (await CitizenNowAsync(head.Id)).HouseholdId);
    }

    [Fact]
    public async Task HouseholdSplit_MovesTheApplicantAndThePeopleNamed_IntoANewHouseholdAtTheSameAddress()
    {
        var head = await World.CitizenAsync(Home);
        var son = await World.CitizenAsync(Home, head.HouseholdId, RelationToHead.Child);
        var sonsWife = await World.CitizenAsync(Home, head.HouseholdId, RelationToHead.DaughterInLaw);

        await IssueAsync("BCA-L4-06", son, [], [Person(sonsWife, "vợ")]);

        var (newSon, newWife, stays) = (await CitizenNowAsync(son.Id), await CitizenNowAsync(sonsWife.Id), await CitizenNowAsync(head.Id));
        Assert.NotEqual(head.HouseholdId, newSon.HouseholdId);
        Assert.Equal((newSon.HouseholdId, RelationToHead.Head, RelationToHead.Wife), (newWife.HouseholdId, newSon.RelationToHead, newWife.RelationToHead));
        Assert.Equal((head.HouseholdId, RelationToHead.Head), (stays.HouseholdId, stays.RelationToHead));
        var household = await ReadAsync(db => db.Set<HouseholdRow>().AsNoTracking().FirstAsync(h => h.Id == newSon.HouseholdId));
        Assert.Equal((son.Id, Home.Id, "12 Phố Thử"), (household.HeadCitizenId, household.UnitId, household.Address));
    }

    [Fact]
    public async Task HouseholdSplit_OfTheHead_IsRefused_AndNothingChanges()
    {
        var head = await World.CitizenAsync(Home);
        await World.CitizenAsync(Home, head.HouseholdId, RelationToHead.Child);

        var refused = await Assert.ThrowsAsync<RpcException>(() => IssueAsync("BCA-L4-06", head, []));

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal(head.HouseholdId, (await CitizenNowAsync(head.Id)).HouseholdId);
    }

    [Fact]
    public async Task ResidenceAdjustment_NewHead_AMemberHeadsTheHousehold_TheOthersTakeTheirDeclaredRelations()
    {
        var father = await World.CitizenAsync(Home);
        var son = await World.CitizenAsync(Home, father.HouseholdId, RelationToHead.Child);
        var sonsWife = await World.CitizenAsync(Home, father.HouseholdId, RelationToHead.DaughterInLaw);

        await IssueAsync("BCA-L4-07", son, NewHead(son), [Person(father, "Cha"), Person(sonsWife, "Vợ")]);

        var household = await ReadAsync(db => db.Set<HouseholdRow>().AsNoTracking().FirstAsync(h => h.Id == father.HouseholdId));
        Assert.Equal(son.Id, household.HeadCitizenId);
        Assert.Equal((RelationToHead.Head, RelationToHead.Father, RelationToHead.Wife),
            ((await CitizenNowAsync(son.Id)).RelationToHead, (await CitizenNowAsync(father.Id)).RelationToHead, (await CitizenNowAsync(sonsWife.Id)).RelationToHead));
        Assert.Equal(father.HouseholdId, (await CitizenNowAsync(sonsWife.Id)).HouseholdId);
    }

    [Fact]
    public async Task ResidenceAdjustment_NewHead_AMemberWhoseRelationIsNotDeclared_IsRefused_AndNothingChanges()
    {
        var father = await World.CitizenAsync(Home);
        var son = await World.CitizenAsync(Home, father.HouseholdId, RelationToHead.Child);
        var daughter = await World.CitizenAsync(Home, father.HouseholdId, RelationToHead.Child);

        var refused = await Assert.ThrowsAsync<RpcException>(() => IssueAsync("BCA-L4-07", son, NewHead(son), [Person(father, "Cha")]));

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains(daughter.IdNumber, refused.Status.Detail, StringComparison.Ordinal);
        var household = await ReadAsync(db => db.Set<HouseholdRow>().AsNoTracking().FirstAsync(h => h.Id == father.HouseholdId));
        Assert.Equal((father.Id, RelationToHead.Head, RelationToHead.Child), (household.HeadCitizenId, (await CitizenNowAsync(father.Id)).RelationToHead, (await CitizenNowAsync(son.Id)).RelationToHead));
    }

    [Fact]
    public async Task ResidenceAdjustment_NewHead_WithAnotherMemberDeclaredHeadToo_IsRefused()
    {
        var father = await World.CitizenAsync(Home);
        var son = await World.CitizenAsync(Home, father.HouseholdId, RelationToHead.Child);

        var refused = await Assert.ThrowsAsync<RpcException>(() => IssueAsync("BCA-L4-07", son, NewHead(son), [Person(father, "Chủ hộ")]));

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal((father.Id, RelationToHead.Head), ((await ReadAsync(db => db.Set<HouseholdRow>().AsNoTracking().FirstAsync(h => h.Id == father.HouseholdId))).HeadCitizenId, (await CitizenNowAsync(father.Id)).RelationToHead));
    }

    [Fact]
    public async Task ResidenceAdjustment_NewHead_WhoIsNotAMember_IsRefused()
    {
        var head = await World.CitizenAsync(Home);
        var outsider = await World.CitizenAsync(Home);

        var refused = await Assert.ThrowsAsync<RpcException>(() => IssueAsync("BCA-L4-07", head, NewHead(outsider), []));

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal(head.Id, (await ReadAsync(db => db.Set<HouseholdRow>().AsNoTracking().FirstAsync(h => h.Id == head.HouseholdId))).HeadCitizenId);
    }

    [Fact]
    public async Task ResidenceAdjustment_RenamedAddress_RewordsTheHouseholdAndItsMembersResidences_WithoutAMove()
    {
        var head = await World.CitizenAsync(Home);
        var child = await World.CitizenAsync(Home, head.HouseholdId, RelationToHead.Child);
        await IssueAsync("BCA-L4-03", child, At(Elsewhere, "Ký túc xá B2", "2026-09-01", "2027-06-30")); // lives elsewhere for now
        var form = new Dictionary<string, string> { ["adjustment"] = "Thay đổi địa chỉ do điều chỉnh địa giới, tên đơn vị hành chính, tên đường, số nhà", ["address_detail"] = "12 Phố Thử Mới" };

        await IssueAsync("BCA-L4-07", head, form);

        var household = await ReadAsync(db => db.Set<HouseholdRow>().AsNoTracking().FirstAsync(h => h.Id == head.HouseholdId));
        Assert.Equal((Home.Id, "12 Phố Thử Mới"), (household.UnitId, household.Address));
        var (headNow, childNow) = (await CitizenNowAsync(head.Id), await CitizenNowAsync(child.Id));
        Assert.Equal(("12 Phố Thử Mới", "12 Phố Thử Mới"), (headNow.PermanentAddress, headNow.CurrentAddress));
        Assert.Equal(("12 Phố Thử Mới", Elsewhere.Id, "Ký túc xá B2"), (childNow.PermanentAddress, childNow.CurrentUnitId, childNow.CurrentAddress));
        var permanent = Assert.Single(await ResidencesAsync(head.Id));
        Assert.Equal(("12 Phố Thử Mới", new DateOnly(2015, 1, 1), (DateOnly?)null), (permanent.Address, permanent.ValidFrom, permanent.ValidTo));
        Assert.Equal("12 Phố Thử Mới", Assert.Single(await ResidencesAsync(child.Id), r => r.Kind == ResidenceKind.Permanent).Address);
    }

    [Fact]
    public async Task ResidenceAdjustment_RenamedAddress_InAnotherCommune_IsAMove_AndRefused()
    {
        var head = await World.CitizenAsync(Home);
        var form = new Dictionary<string, string>
        {
            ["adjustment"] = "Thay đổi địa chỉ do điều chỉnh địa giới, tên đơn vị hành chính, tên đường, số nhà",
            ["address_commune_code"] = Elsewhere.Code, ["address_detail"] = "25 Đường Mới",
        };

        var refused = await Assert.ThrowsAsync<RpcException>(() => IssueAsync("BCA-L4-07", head, form));

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal((Home.Id, "12 Phố Thử"), ((await CitizenNowAsync(head.Id)).PermanentUnitId, (await CitizenNowAsync(head.Id)).PermanentAddress));
    }

    [Fact]
    public async Task ResidenceDeclaration_OfAPersonWithNoResidence_RecordsWhereTheyLiveNow()
    {
        var citizen = await World.CitizenAsync(Home);
        await IssueAsync("BCA-L4-02", citizen, new Dictionary<string, string> { ["from_date"] = "2026-01-15" });

        await IssueAsync("BCA-L4-08", citizen, At(Elsewhere, "Nhà trọ bãi sông, tổ 7"));

        var now = await CitizenNowAsync(citizen.Id);
        Assert.Equal((Elsewhere.Id, "Nhà trọ bãi sông, tổ 7", ProcessingWorld.HaNoi), (now.CurrentUnitId, now.CurrentAddress, now.CurrentProvinceId));
        Assert.Single(await ResidencesAsync(citizen.Id)); // a declaration is not a registration: no residence record
    }

    [Fact]
    public async Task ResidenceDeclaration_FiledForSomeoneElse_ChangesTheirsOnly()
    {
        var declarant = await World.CitizenAsync(Home); // registered permanently: may still declare for another
        var declared = await World.CitizenAsync(Home);
        await IssueAsync("BCA-L4-02", declared, new Dictionary<string, string> { ["from_date"] = "2026-01-15" });

        await IssueAsync("BCA-L4-08", declarant, At(Elsewhere, "Nhà trọ bãi sông, tổ 7"), [Person(declared, "em")]);

        Assert.Equal((Elsewhere.Id, "Nhà trọ bãi sông, tổ 7"), ((await CitizenNowAsync(declared.Id)).CurrentUnitId, (await CitizenNowAsync(declared.Id)).CurrentAddress));
        Assert.Equal((Home.Id, "12 Phố Thử"), ((await CitizenNowAsync(declarant.Id)).CurrentUnitId, (await CitizenNowAsync(declarant.Id)).CurrentAddress));
    }

    [Fact]
    public async Task ResidenceDeclaration_OfAPersonWithAPermanentResidence_IsRefused()
    {
        var citizen = await World.CitizenAsync(Home);

        var refused = await Assert.ThrowsAsync<RpcException>(() => IssueAsync("BCA-L4-08", citizen, At(Elsewhere, "Nhà trọ bãi sông, tổ 7")));

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal((Home.Id, "12 Phố Thử"), ((await CitizenNowAsync(citizen.Id)).CurrentUnitId, (await CitizenNowAsync(citizen.Id)).CurrentAddress));
    }

    [Fact]
    public async Task TwoResultsForOnePerson_IssuedAtOnce_TheSecondSeesTheFirst()
    {
        // Five people, two temporary registrations each, issued by two officials at the same moment:
        // without a lock each would find no open residence to close, and both would stay open.
        var other = await World.OfficialAsync("P34-01", Role.ApprovingLeader);
        for (var round = 0; round < 5; round++)
        {
            var citizen = await World.CitizenAsync(Home);
            var first = await World.DossierAsync(Home, Guid.NewGuid(), citizen.IdNumber, Domain.DossierStatus.Approved, "BCA-L4-03", At(Elsewhere, "8 Phố Tạm", "2027-01-01"));
            var second = await World.DossierAsync(Home, Guid.NewGuid(), citizen.IdNumber, Domain.DossierStatus.Approved, "BCA-L4-03", At(Home, "9 Phố Tạm", "2027-02-01"));

            await Task.WhenAll(
                Task.Run(() => World.Client.IssueResultAsync(new IssueResultRequest { RequestId = Guid.NewGuid().ToString("D"), Code = first.Code, DocumentNumber = "1/TB" }, Leader).ResponseAsync),
                Task.Run(() => World.Client.IssueResultAsync(new IssueResultRequest { RequestId = Guid.NewGuid().ToString("D"), Code = second.Code, DocumentNumber = "2/TB" }, other).ResponseAsync));

            var temporary = (await ResidencesAsync(citizen.Id)).Where(r => r.Kind == ResidenceKind.Temporary).ToList();
            Assert.Equal(2, temporary.Count);
            var open = Assert.Single(temporary, r => r.ValidTo is null);
            Assert.Equal(open.Address, (await CitizenNowAsync(citizen.Id)).TemporaryAddress);
        }
    }

    [Theory]
    [InlineData("BCA-L3-01", DocumentStatus.Replaced)] // issued to someone holding an old card
    [InlineData("BCA-L3-03", DocumentStatus.Replaced)] // exchanged
    [InlineData("BCA-L3-05", DocumentStatus.Lost)] // re-issued after a loss
    public async Task IdentityCard_Issued_RecordsTheNewCard_AndEndsTheOneHeld(string procedure, DocumentStatus heldBecomes)
    {
        var citizen = await World.CitizenAsync(Home);
        var held = await CardAsync(citizen, IdentityDocumentKind.CccdChip, new DateOnly(2021, 6, 1));

        await IssueAsync(procedure, citizen, []);

        var cards = await CardsAsync(citizen.Id);
        Assert.Equal(heldBecomes, cards.Single(c => c.Id == held).Status);
        var card = Assert.Single(cards, c => c.Status == DocumentStatus.Valid);
        var today = Server.Calendar.VietnamTime.DateOf(DateTimeOffset.UtcNow);
        // Born 17/5/1990: changed at 40, unless issued within the two years before it (then at 60).
        var expires = today < new DateOnly(2028, 5, 17) ? new DateOnly(2030, 5, 17) : new DateOnly(2050, 5, 17);
        Assert.Equal((IdentityDocumentKind.CanCuoc, citizen.IdNumber, today, (DateOnly?)expires, "Bộ Công an"), (card.Kind, card.Number, card.IssuedOn, card.ExpiresOn, card.IssuedBy));
    }

    [Fact]
    public async Task IdentityCard_FiledByAParentForAChild_IsTheChildsCard()
    {
        var parent = await World.CitizenAsync(Home);
        var child = await World.CitizenAsync(Home, parent.HouseholdId, RelationToHead.Child);

        await IssueAsync("BCA-L3-01", parent, [], [Person(child, "con")]);

        Assert.Equal(child.IdNumber, Assert.Single(await CardsAsync(child.Id)).Number);
        Assert.Empty(await CardsAsync(parent.Id));
    }

    private async Task<long> CardAsync(CitizenRow citizen, IdentityDocumentKind kind, DateOnly issuedOn)
    {
        var card = new IdentityDocumentRow
        {
            CitizenId = citizen.Id, Kind = kind, Number = citizen.IdNumber, IssuedOn = issuedOn, ExpiresOn = new DateOnly(2030, 5, 17),
            Status = DocumentStatus.Valid, IssuedBy = "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
        };
        await World.WithDbAsync(async db =>
        {
            db.Set<IdentityDocumentRow>().Add(card);
            await db.SaveChangesAsync();
        });
        return card.Id;
    }

    private Task<List<IdentityDocumentRow>> CardsAsync(long citizenId)
        => ReadAsync(db => db.Set<IdentityDocumentRow>().AsNoTracking().Where(d => d.CitizenId == citizenId).ToListAsync());

    private static Dictionary<string, string> NewHead(CitizenRow head)
        => new() { ["adjustment"] = "Thay đổi chủ hộ", ["household_head_id_number"] = head.IdNumber };

    [Fact]
    public async Task StayNotification_RecordsTheStayOfThePeopleNamed()
    {
        var host = await World.CitizenAsync(Home);
        var guest = await World.CitizenAsync(Elsewhere);

        var response = await IssueAsync("BCA-L4-10", host, At(Home, "12 Phố Thử", "2026-11-29", "2026-12-02"), [Person(guest, "bạn")]);

        var stay = Assert.Single(await ReadAsync(db => db.Set<StayRecordRow>().AsNoTracking().Where(s => s.CitizenId == guest.Id).ToListAsync()));
        Assert.Equal((Home.Id, new DateOnly(2026, 11, 29), (DateOnly?)new DateOnly(2026, 12, 2)), (stay.UnitId, stay.FromDate, stay.ToDate));
        Assert.Equal(response.Dossier.Code, (await World.ReadDossierAsync(response.Dossier.Code)).Code);
        Assert.Empty(await ReadAsync(db => db.Set<StayRecordRow>().AsNoTracking().Where(s => s.CitizenId == host.Id).ToListAsync()));
    }

    [Fact]
    public async Task TemporaryAbsence_RecordsThePeriodAndTheDestination()
    {
        var citizen = await World.CitizenAsync(Home);
        var form = At(Elsewhere, "Công trường thủy điện", "2026-12-01", "2027-05-31");
        form["absence_reason"] = "Đi làm xa";

        await IssueAsync("BCA-L4-11", citizen, form);

        var absence = Assert.Single(await ReadAsync(db => db.Set<TemporaryAbsenceRow>().AsNoTracking().Where(a => a.CitizenId == citizen.Id).ToListAsync()));
        Assert.Equal((new DateOnly(2026, 12, 1), new DateOnly(2027, 5, 31), (int?)Elsewhere.Id, "Công trường thủy điện", "Đi làm xa"),
            (absence.FromDate, absence.ToDate, absence.DestinationUnitId, absence.Destination, absence.Reason));
    }

    [Fact]
    public async Task ResidenceConfirmation_ChangesNoRegistryRow()
    {
        var citizen = await World.CitizenAsync(Home);

        var response = await IssueAsync("BCA-L4-09", citizen, []);

        Assert.Equal(("CT07", DossierStatus.ResultIssued), (response.Dossier.Result.FormCode, response.Dossier.Status));
        Assert.Single(await ResidencesAsync(citizen.Id));
    }

    [Fact]
    public async Task FailingEffect_Extension_WithoutATemporaryResidence_IsRefused_AndTheStatusStays()
    {
        var citizen = await World.CitizenAsync(Home);
        var dossier = await World.DossierAsync(Home, Guid.NewGuid(), citizen.IdNumber, Domain.DossierStatus.Approved, "BCA-L4-04", new Dictionary<string, string> { ["to_date"] = "2028-01-01" });

        var refused = await Assert.ThrowsAsync<RpcException>(() => World.Client.IssueResultAsync(
            new IssueResultRequest { RequestId = Guid.NewGuid().ToString("D"), Code = dossier.Code, DocumentNumber = "1/TB" }, Leader).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal(ProcessingReasons.RegistryEffectFailed, refused.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        var stored = await World.ReadDossierAsync(dossier.Code);
        Assert.Equal(("approved", 1L), (stored.Status, stored.Version));
        Assert.Single(await World.EventsAsync(dossier.Id));
    }

    [Fact]
    public async Task FailingEffect_AfterItWroteRows_RollsBackTheRowsAndTheStatusChange()
    {
        // The first person's registration is written (a new household saved, records changed) before the
        // second, who is not in the registry, fails the effect.
        var citizen = await World.CitizenAsync(Home);
        var unknown = new CitizenRow
        {
            IdNumber = "001090999999", FullName = "Không Có", FoldedName = "khong co", Ethnicity = "Kinh", Religion = "Không", Nationality = "VN",
            PermanentAddress = "-", CurrentAddress = "-",
        };
        var households = await ReadAsync(db => db.Set<HouseholdRow>().CountAsync());
        var dossier = await World.DossierAsync(Home, Guid.NewGuid(), citizen.IdNumber, Domain.DossierStatus.Approved, "BCA-L4-01", At(Elsewhere, "25 Đường Mới"), [Person(unknown, "con")]);

        var refused = await Assert.ThrowsAsync<RpcException>(() => World.Client.IssueResultAsync(
            new IssueResultRequest { RequestId = Guid.NewGuid().ToString("D"), Code = dossier.Code, DocumentNumber = "2/TB" }, Leader).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("001090999999", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(households, await ReadAsync(db => db.Set<HouseholdRow>().CountAsync()));
        var now = await CitizenNowAsync(citizen.Id);
        Assert.Equal((Home.Id, citizen.HouseholdId), (now.PermanentUnitId, now.HouseholdId));
        Assert.Null(Assert.Single(await ResidencesAsync(citizen.Id)).ValidTo);
        Assert.Equal("approved", (await World.ReadDossierAsync(dossier.Code)).Status);
    }
}

public sealed class RegistryEffectOnSqliteTests : RegistryEffectTests
{
    protected override Task<InProcessServer> StartServerAsync() => InProcessServer.StartAsync(null, "--Dvc:Population:DemoCitizens=0");
}

[Collection(PostgresCollection.Name)]
public sealed class RegistryEffectOnPostgresTests(PostgresCluster cluster) : RegistryEffectTests
{
    protected override async Task<InProcessServer> StartServerAsync()
        => await InProcessServer.StartAsync(await cluster.CreateDatabaseAsync());
}
