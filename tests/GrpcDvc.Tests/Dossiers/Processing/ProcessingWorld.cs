using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Dossiers;
using GrpcDvc.Server.Dossiers.History;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProtoService = GrpcDvc.Contracts.Dossiers.V1.DossierService;

namespace GrpcDvc.Tests.Dossiers.Processing;

/// <summary>
/// What the processing tests act on, written straight into the server's database (the submission is
/// another part's): communes under Hà Nội (P34-01, unit 2001), citizens living in them, dossiers in
/// any status with their submission event, and callers with known accounts.
/// </summary>
internal sealed class ProcessingWorld(InProcessServer server)
{
    public const int HaNoi = 2001;
    public const int HoChiMinh = 2079;

    private static int _nextUnit = 900_000 + Random.Shared.Next(0, 50_000) * 10;
    private static long _nextIdNumber = 1_000_000 + Random.Shared.Next(0, 100_000) * 10;

    public InProcessServer Server => server;

    public ProtoService.DossierServiceClient Client { get; } = new(server.Channel);

    public async Task<AdministrativeUnitRow> CommuneAsync(int provinceId = HaNoi)
    {
        var id = Interlocked.Increment(ref _nextUnit);
        var unit = new AdministrativeUnitRow
        {
            Id = id, Code = $"X{id}", Level = AdministrativeLevel.Commune, Name = $"Phường Thử {id}", FoldedName = $"phuong thu {id}",
            ParentId = provinceId, IsSynthetic = true, Verified = false,
        };
        await WithDbAsync(async db =>
        {
            db.Set<AdministrativeUnitRow>().Add(unit);
            await db.SaveChangesAsync();
        });
        return unit;
    }

    /// <summary>A living citizen with a permanent residence (and its record) in <paramref name="commune"/>, heading a household there unless one is given.</summary>
    public async Task<CitizenRow> CitizenAsync(AdministrativeUnitRow commune, long? householdId = null, RelationToHead relation = RelationToHead.Head)
    {
        var idNumber = $"001090{Interlocked.Increment(ref _nextIdNumber) % 1_000_000:D6}";
        var citizen = new CitizenRow
        {
            IdNumber = idNumber, FullName = "Lê Văn Thử", FoldedName = "le van thu", BirthYear = 1990, BirthMonth = 5, BirthDay = 17,
            Gender = Gender.Male, Ethnicity = "Kinh", Religion = "Không", Nationality = "VN", BirthRegistrationUnitId = 1001, HometownUnitId = 1001,
            PermanentUnitId = commune.Id, PermanentAddress = "12 Phố Thử", CurrentUnitId = commune.Id, CurrentAddress = "12 Phố Thử",
            CurrentProvinceId = HaNoi, Status = CitizenStatus.Living,
        };
        await WithDbAsync(async db =>
        {
            if (householdId is null)
            {
                var household = new HouseholdRow { UnitId = commune.Id, Address = "12 Phố Thử", EstablishedOn = new DateOnly(2015, 1, 1) };
                db.Set<HouseholdRow>().Add(household);
                await db.SaveChangesAsync();
                householdId = household.Id;
                citizen.RelationToHead = RelationToHead.Head;
            }
            else
            {
                citizen.RelationToHead = relation;
            }

            citizen.HouseholdId = householdId;
            db.Set<CitizenRow>().Add(citizen);
            await db.SaveChangesAsync();
            db.Set<ResidenceRecordRow>().Add(new ResidenceRecordRow
            {
                CitizenId = citizen.Id, Kind = ResidenceKind.Permanent, UnitId = commune.Id, RegisteredUnitId = commune.Id,
                Address = "12 Phố Thử", ValidFrom = new DateOnly(2015, 1, 1),
            });
            if (citizen.RelationToHead == RelationToHead.Head)
            {
                var household = await db.Set<HouseholdRow>().FirstAsync(h => h.Id == householdId);
                household.HeadCitizenId = citizen.Id;
            }

            await db.SaveChangesAsync();
        });
        return citizen;
    }

    /// <summary>The CT01 a portal fills for a residence procedure (the address asked where the registration needs it): forms as data check supplements against it.</summary>
    private static Dictionary<string, string> DefaultForm(string procedureCode)
    {
        var form = new Dictionary<string, string>
        {
            ["full_name"] = "Lê Văn Thử", ["date_of_birth"] = "1990-05-17", ["gender"] = "Nam", ["request_content"] = "Đề nghị giải quyết thủ tục cư trú.",
        };
        if (procedureCode is "BCA-L4-01" or "BCA-L4-03" or "BCA-L4-08")
        {
            form["address_detail"] = "Số 5 ngõ 10 phố Hàng Bún";
        }

        if (procedureCode is "BCA-L4-07")
        {
            form["adjustment"] = "Thay đổi chủ hộ";
            form["household_head_id_number"] = "001090000001";
        }

        return form;
    }

    /// <summary>A dossier of <paramref name="procedureCode"/> at <paramref name="unit"/>, in <paramref name="status"/>, with its submission in the history.</summary>
    public async Task<DossierRecord> DossierAsync(
        AdministrativeUnitRow unit, Guid applicantAccountId, string applicantIdNumber, DossierStatus status = DossierStatus.Submitted,
        string procedureCode = "BCA-L4-03", IReadOnlyDictionary<string, string>? form = null, IReadOnlyList<ConcernedPerson>? people = null,
        DateTimeOffset? submittedAt = null, DateTimeOffset? dueAt = null, DossierStatus? resumeStatus = null, string clockStops = "[]")
    {
        var at = submittedAt ?? DateTimeOffset.UtcNow.AddHours(-1);
        var number = Interlocked.Increment(ref _nextUnit) % 10_000;
        var details = new DossierDetails
        {
            Applicant = new DeclaredPerson(applicantIdNumber, "Lê Văn Thử", 1990, 5, 17, "male", unit.Code, null, null, "0912345678"),
            People = people ?? [],
            // By default the CT01 of a temporary-residence registration as a portal fills it (forms as data check supplements against it).
            Form = form ?? DefaultForm(procedureCode),
            Delivery = new DeliveryChoice(DeliveryKind.Online, null, null),
            CommuneCode = unit.Code,
        };
        var row = new DossierRecord
        {
            Id = Guid.NewGuid(), Code = $"{unit.Code}-{at:yyMMdd}-{number:D4}", ProcedureCode = procedureCode, UnitId = unit.Id, UnitCode = unit.Code,
            ApplicantAccountId = applicantAccountId, ApplicantIdNumber = applicantIdNumber, ApplicantName = "Lê Văn Thử",
            Status = DossierStatuses.Code(status), ResumeStatus = resumeStatus is { } r ? DossierStatuses.Code(r) : null, Version = 1,
            SubmitRequestId = Guid.NewGuid().ToString("D"), SubmittedAt = at, ClockStartedAt = at, DueAt = dueAt, ClockStops = clockStops,
            UpdatedAt = at, Details = details.ToJson(), HistoryHead = HistoryChain.Genesis,
        };
        var submitted = new DossierEventRecord
        {
            At = at, Action = DossierActions.Code(DossierAction.Submit), ToStatus = DossierStatuses.Code(DossierStatus.Submitted),
            ActorId = applicantAccountId, ActorName = "Lê Văn Thử", ActorRole = RoleNames.Name(Role.Citizen), Documents = "[]",
            RequestId = row.SubmitRequestId, PreviousHash = string.Empty, Hash = string.Empty,
        };
        HistoryChain.Link(row, submitted);
        await WithDbAsync(async db =>
        {
            db.Dossiers().Add(row);
            db.DossierEvents().Add(submitted);
            await db.SaveChangesAsync();
        });
        return row;
    }

    public async Task<DossierRecord> ReadDossierAsync(string code)
    {
        DossierRecord? row = null;
        await WithDbAsync(async db => row = await db.Dossiers().AsNoTracking().FirstAsync(d => d.Code == code));
        return row!;
    }

    public async Task<List<DossierEventRecord>> EventsAsync(Guid dossierId)
    {
        List<DossierEventRecord> events = [];
        await WithDbAsync(async db => events = await db.DossierEvents().AsNoTracking().Where(e => e.DossierId == dossierId).OrderBy(e => e.Sequence).ToListAsync());
        return events;
    }

    /// <summary>An official of <paramref name="unitCode"/> with the roles, stored (so the history names them) and signed in.</summary>
    public async Task<CallOptions> OfficialAsync(string unitCode, params Role[] roles)
    {
        var official = new OfficialAccountRecord
        {
            Id = Guid.NewGuid(), Username = $"test.{Guid.NewGuid():N}", FullName = "Phạm Thị Cán Bộ", AgencyUnitCode = unitCode,
            PasswordHash = "-", TotpSecretSealed = "-", CreatedAt = DateTime.UtcNow,
            Roles = [.. roles.Select(r => new OfficialRoleRecord { Role = RoleNames.Name(r) })],
        };
        await WithDbAsync(async db =>
        {
            db.Set<OfficialAccountRecord>().Add(official);
            await db.SaveChangesAsync();
        });
        await using var scope = server.Services.CreateAsyncScope();
        var signedIn = await scope.ServiceProvider.GetRequiredService<TokenService>().IssueAsync(official, CancellationToken.None);
        return Access.TestCallers.Bearer(signedIn.Tokens.AccessToken);
    }

    public async Task<CallOptions> CitizenAsync(Guid accountId, string idNumber)
    {
        var citizen = new CitizenAccountRecord { Id = accountId, IdNumber = idNumber, FullName = "Lê Văn Thử" };
        await using var scope = server.Services.CreateAsyncScope();
        var signedIn = await scope.ServiceProvider.GetRequiredService<TokenService>().IssueAsync(citizen, CancellationToken.None);
        return Access.TestCallers.Bearer(signedIn.Tokens.AccessToken);
    }

    public async Task WithDbAsync(Func<DvcDbContext, Task> work)
    {
        await using var scope = server.Services.CreateAsyncScope();
        await work(scope.ServiceProvider.GetRequiredService<DvcDbContext>());
    }
}
