using GrpcDvc.Server.Dossiers;
using GrpcDvc.Server.Dossiers.History;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Population;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Dossiers.Tracking;

/// <summary>
/// Puts dossiers straight into the server's database, the way submission and processing will: the row,
/// who it concerns, its attachments, and its events appended with <see cref="HistoryChain.Link"/>, so
/// every history starts out intact. <see cref="ChangeAsync"/> is a change of status as processing makes it.
/// </summary>
public sealed class DossierRows(IServiceProvider services)
{
    public const string Procedure = "BCA-L4-03";
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 2, 0, 0, TimeSpan.Zero);

    private int _serial;

    /// <summary>A submitted dossier of <paramref name="unitCode"/>, submitted <paramref name="submittedAfterStart"/> after <see cref="Start"/>.</summary>
    public async Task<DossierRecord> AddAsync(
        Guid applicantAccountId, string applicantIdNumber, string unitCode = RegistryTestData.ProvinceA, TimeSpan? submittedAfterStart = null,
        DateTimeOffset? dueAt = null, string procedure = Procedure, string? concernedIdNumber = null, bool noDueTime = false, int attachments = 0)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var unitId = await db.Set<Server.Population.Persistence.AdministrativeUnitRow>().Where(u => u.Code == unitCode).Select(u => u.Id).SingleAsync();
        var serial = Interlocked.Increment(ref _serial);
        var submitted = Start + (submittedAfterStart ?? TimeSpan.FromMinutes(serial));
        var applicant = new DeclaredPerson(applicantIdNumber, "Nguyễn Thị Nộp", 1990, 4, 12, "female", "T-X01", null, null, "0912000111");
        var people = concernedIdNumber is null ? [] : new[] { new ConcernedPerson(new DeclaredPerson(concernedIdNumber, "Trần Văn Con", 2015, 1, 2, "male", "T-X01", null, null, null), "con") };
        var details = new DossierDetails
        {
            Applicant = applicant,
            People = people,
            Form = new Dictionary<string, string> { ["ly_do"] = "Đăng ký tạm trú" },
            Delivery = new DeliveryChoice(DeliveryKind.Online, null, null),
        };
        var dossier = new DossierRecord
        {
            Id = Guid.NewGuid(),
            Code = $"{unitCode}-261102-{serial:0000}",
            ProcedureCode = procedure,
            UnitId = unitId,
            UnitCode = unitCode,
            ApplicantAccountId = applicantAccountId,
            ApplicantIdNumber = applicantIdNumber,
            ApplicantName = applicant.FullName,
            Status = DossierStatuses.Code(DossierStatus.Submitted),
            SubmitRequestId = Guid.NewGuid().ToString("D"),
            SubmittedAt = submitted,
            ClockStartedAt = submitted,
            DueAt = noDueTime ? null : dueAt ?? submitted + TimeSpan.FromDays(3),
            ClockStops = "[]",
            UpdatedAt = submitted,
            Details = details.ToJson(),
            HistoryHead = HistoryChain.Genesis,
        };
        var submit = Event(DossierAction.Submit, null, DossierStatus.Submitted, submitted, applicantAccountId, "Nguyễn Thị Nộp", "citizen", null);
        HistoryChain.Link(dossier, submit);
        dossier.Version = 1;
        db.Dossiers().Add(dossier);
        db.DossierEvents().Add(submit);
        db.DossierPeople().Add(new DossierPersonRecord { DossierId = dossier.Id, IdNumber = applicantIdNumber, Role = "applicant" });
        if (concernedIdNumber is not null)
        {
            db.DossierPeople().Add(new DossierPersonRecord { DossierId = dossier.Id, IdNumber = concernedIdNumber, Role = "concerned" });
        }

        for (var i = 0; i < attachments; i++)
        {
            db.Attachments().Add(new AttachmentRecord
            {
                Id = Guid.NewGuid(), OwnerAccountId = applicantAccountId, RequestId = Guid.NewGuid().ToString("D"), FileName = $"giay-to-{i}.pdf",
                ContentType = "application/pdf", Size = 1000 + i, Sha256 = new string((char)('a' + i), 64), DocumentName = "Tờ khai CT01",
                UploadedAt = submitted - TimeSpan.FromMinutes(10 - i), DossierId = dossier.Id,
            });
        }

        await db.SaveChangesAsync();
        return dossier;
    }

    /// <summary>A change of status by an official, in one transaction as processing makes it (conditional on the version); returns the event.</summary>
    public async Task<DossierEventRecord> ChangeAsync(string code, DossierAction action, DossierStatus to, string? reason = null, TimeSpan? later = null)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var dossier = await db.Dossiers().SingleAsync(d => d.Code == code);
        var at = dossier.UpdatedAt + (later ?? TimeSpan.FromHours(1));
        var e = Event(action, DossierStatuses.Parse(dossier.Status), to, at, Guid.NewGuid(), "Lê Văn Cán Bộ", "processing_officer", dossier.UnitCode, reason);
        HistoryChain.Link(dossier, e);
        dossier.Status = DossierStatuses.Code(to);
        dossier.Version++;
        dossier.UpdatedAt = at;
        db.DossierEvents().Add(e);
        await db.SaveChangesAsync();
        return e;
    }

    private static DossierEventRecord Event(
        DossierAction action, DossierStatus? from, DossierStatus to, DateTimeOffset at, Guid actor, string actorName, string role, string? unit, string? reason = null)
        => new()
        {
            At = at,
            Action = DossierActions.Code(action),
            FromStatus = from is { } f ? DossierStatuses.Code(f) : null,
            ToStatus = DossierStatuses.Code(to),
            ActorId = actor,
            ActorName = actorName,
            ActorRole = role,
            UnitCode = unit,
            Reason = reason,
            Documents = HistoryChain.Documents(reason is null ? [] : ["Tờ khai CT01"]),
            RequestId = Guid.NewGuid().ToString("D"),
            PreviousHash = "",
            Hash = "",
        };
}
