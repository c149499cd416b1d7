using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Dossiers.Attachments;
using GrpcDvc.Server.Dossiers.History;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using ProtoCommon = GrpcDvc.Contracts.Common.V1;

namespace GrpcDvc.Server.Dossiers.Submission;

/// <summary>
/// SubmitDossier: the request and the form checked (every problem at once), the declared people
/// checked against the registry, the competent unit found, the clock started and the due date
/// computed; then one transaction writes the dossier, its people, its first event, its code's
/// number and the registry reads' access-log entries (one batched insert), and takes up its
/// attachments. Warm, that is five round trips on PostgreSQL whatever the number of people (the
/// retry check, the registry read, the counter, the inserts, the commit). Idempotent by (account, request id): a retry, even one
/// racing the first, returns the first dossier (the unique index decides which copy wins).
/// </summary>
public sealed partial class DossierSubmission(
    DvcDbContext db,
    CatalogStore catalog,
    ISubmissionTerms terms,
    RegistryCheck registry,
    CompetentUnits routing,
    CalendarStore calendar,
    CalendarOptions calendarOptions,
    IDossierChanges changes,
    ISubmissionAppointments appointments,
    TimeProvider time,
    ILogger<DossierSubmission> logger)
{
    public const string AttachmentRaceReason = "ATTACHMENT_TAKEN_CONCURRENTLY";

    public async Task<SubmitDossierResponse> SubmitAsync(SubmitDossierRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = context.GetCaller();
        if (caller.Kind != AccountKind.Citizen || caller.IdNumber is not { } idNumber)
        {
            throw AccessErrors.PermissionDenied(AccessReasons.RoleNotAllowed, "Only a signed-in citizen submits a dossier.");
        }

        var violations = new List<FieldViolation>();
        var requestId = SubmissionRules.RequestId(violations, request.RequestId);
        if (requestId is not null && await FindAsync(caller.AccountId, requestId, ct) is { } earlier)
        {
            return new SubmitDossierResponse { Dossier = await AnswerAsync(earlier, ct) };
        }

        var procedure = SubmissionRules.ProcedureCode(violations, request.ProcedureCode)
            ? await catalog.FindAsync(request.ProcedureCode, ct)
            : null;
        var applicant = SubmissionRules.Applicant(violations, request.Applicant, idNumber);
        var people = SubmissionRules.People(violations, request.People, idNumber);
        var units = await UnitsAsync([request.CommuneCode, request.Delivery?.PostalAddress?.CommuneCode], ct);
        var delivery = SubmissionRules.Delivery(violations, request.Delivery, procedure, units.GetValueOrDefault);
        var commune = SubmissionRules.Commune(violations, "commune_code", DeclarationRules.Blank(request.CommuneCode), units.GetValueOrDefault);
        var appointmentId = SubmissionRules.Appointment(violations, request.AppointmentId, request.StationId, procedure);
        if (request.AttachmentIds.Count > AttachmentClaims.MaxPerDossier)
        {
            violations.Add(new FieldViolation("attachment_ids", $"A dossier holds at most {AttachmentClaims.MaxPerDossier} attachments.", "TOO_MANY_ATTACHMENTS"));
        }

        var now = time.GetUtcNow();
        var form = request.Form.ToDictionary(StringComparer.Ordinal);
        var agreed = procedure is null ? null : await terms.ForAsync(procedure.Code, VietnamTime.DateOf(now), form, ct);
        violations.AddRange(agreed?.FormProblems ?? []);
        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument("The submission is invalid.", [.. violations]);
        }

        if (procedure is null || agreed is null)
        {
            throw RpcErrors.NotFound("procedure", request.ProcedureCode, $"The catalog has no procedure {request.ProcedureCode}.");
        }

        // A level-3 identity card goes to the station of the citizen's hold, and to that station's unit.
        var place = appointmentId is { } held ? await appointments.PlaceAsync(held, caller.AccountId, procedure.Code, now, ct) : null;
        if (place is not null && request.StationId.Length > 0 && request.StationId != place.StationId)
        {
            throw RpcErrors.InvalidArgument("The station is not the appointment's.",
                new FieldViolation("station_id", "Leave it empty or give the station of the appointment.", "STATION_NOT_APPOINTMENTS"));
        }

        var checkedPeople = await registry.RunAsync(caller, context.Method, requestId!, applicant!, people,
            absentPeopleAllowed: agreed.Time.WhenNotInRegistry is not null, applicantResidence: commune is null, ct);
        var reads = checkedPeople.Reads;
        try
        {
            var communeId = commune?.Id ?? checkedPeople.ApplicantPermanentUnitId;
            var unit = place is null
                ? await routing.RouteAsync(CompetentUnits.LevelsOf(procedure), communeId, ct)
                : await db.Set<AdministrativeUnitRow>().AsNoTracking().FirstAsync(u => u.Id == place.UnitId, ct);
            var communeCode = commune?.Code ?? (await routing.TodayAsync(communeId, ct)).Code;
            var workingCalendar = await calendar.WorkingCalendarAsync(DueDates.YearsFrom(now), ct);
            var deadline = DueDates.Compute(now, agreed.Time.For(checkedPeople.EveryoneFound), DueDates.IntakeOf(procedure), calendarOptions, workingCalendar);

            var draft = new Draft(caller.AccountId, requestId!, procedure, unit, applicant!.Person,
                [.. people.Select(p => new ConcernedPerson(p.Person.Person, p.Relationship))], form, delivery!, communeCode, now, deadline,
                appointmentId, place?.StationId);
            var (row, details, attachments) = await WriteAsync(draft, reads, [.. request.AttachmentIds], ct);
            if (row.SubmitRequestId == requestId && details is not null)
            {
                changes.Changed(row.Code);
                Log.Submitted(logger, row.Code, procedure.Code, unit.Code);
                return new SubmitDossierResponse
                {
                    Dossier = DossierMessages.ToMessage(row, details, Name(procedure), unit.Name, attachments, now),
                };
            }

            // Another copy of this request won the race: its dossier is the answer, once this copy's reads are logged.
            await reads.LogAsync(ct);
            return new SubmitDossierResponse { Dossier = await AnswerAsync(row, ct) };
        }
        catch (Exception) when (!reads.Committed)
        {
            // Whatever ends the submission after the check without its transaction (routing, the attachments,
            // the database), the registry reads are logged before the answer leaves.
            await reads.LogAsync(ct);
            throw;
        }
    }

    /// <summary>Writes the dossier in one transaction; when a racing copy of the request wins, returns its row (and null details).</summary>
    /// <remarks>The registry reads' access-log entries go in the same transaction: committed with the dossier, before its answer leaves.</remarks>
    private async Task<(DossierRecord Row, DossierDetails? Details, IReadOnlyList<AttachmentRecord> Attachments)> WriteAsync(
        Draft draft, CheckedReads reads, IReadOnlyList<string> attachmentIds, CancellationToken ct)
    {
        var dossierId = Guid.NewGuid();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var day = DossierCodes.DayOf(draft.SubmittedAt);
            var number = await DossierCodes.NextNumberAsync(db, draft.Unit.Code, day, ct);
            // A new dossier holds nothing yet: without ids there is nothing to take up, and nothing to ask the database.
            var (claimed, problems) = attachmentIds.Count == 0
                ? ([], [])
                : await AttachmentClaims.ClaimAsync(db, draft.AccountId, dossierId, attachmentIds, "attachment_ids", ct);
            if (problems.Count > 0)
            {
                throw RpcErrors.InvalidArgument("The submission's attachments cannot be taken up.", [.. problems]);
            }

            var details = draft.Details([.. claimed.Select(a => a.Id)]);
            var row = draft.Row(dossierId, DossierCodes.Format(draft.Unit.Code, day, number), details);
            var submitted = draft.SubmitEvent(claimed.Select(a => a.DocumentName));
            HistoryChain.Link(row, submitted);
            db.Dossiers().Add(row);
            db.DossierPeople().AddRange(draft.PeopleRows(dossierId));
            db.DossierEvents().Add(submitted);
            reads.AddTo(db);
            // One SaveChanges: the dossier, its people, its event and the access-log entries in one batched command.
            await db.SaveChangesAsync(ct);
            if (draft.AppointmentId is { } appointmentId)
            {
                // After the dossier's insert: a racing copy of this request meets the request-id index first
                // and answers with the winner's dossier; a hold gone meanwhile rolls the dossier back.
                await appointments.ConfirmAsync(db, new AppointmentConfirmation(
                    appointmentId, draft.AccountId, draft.Procedure.Code, row.Id, row.Code, draft.RequestId, draft.SubmittedAt), ct);
            }

            await transaction.CommitAsync(ct);
            reads.MarkCommitted();
            return (row, details, claimed);
        }
        catch (Exception e) when (e is DbUpdateException or RpcException { StatusCode: StatusCode.InvalidArgument })
        {
            // A copy of the same request committed first (the unique index on the account's request id,
            // or the attachments it took): answer with its dossier. Anything else stands.
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            if (await FindAsync(draft.AccountId, draft.RequestId, ct) is { } winner)
            {
                return (winner, null, []);
            }

            if (e is DbUpdateConcurrencyException)
            {
                throw RpcErrors.Create(StatusCode.Aborted, "An attachment was taken up by another submission at the same moment; try again.", RpcErrors.Reason(AttachmentRaceReason));
            }

            throw;
        }
    }

    private Task<DossierRecord?> FindAsync(Guid accountId, string requestId, CancellationToken ct)
        => db.Dossiers().AsNoTracking().FirstOrDefaultAsync(d => d.ApplicantAccountId == accountId && d.SubmitRequestId == requestId, ct);

    /// <summary>A stored dossier as the answer to its submission (a retry's answer).</summary>
    private async Task<Dossier> AnswerAsync(DossierRecord row, CancellationToken ct)
    {
        var procedure = await catalog.FindAsync(row.ProcedureCode, ct);
        var unitName = await db.Set<AdministrativeUnitRow>().Where(u => u.Id == row.UnitId).Select(u => u.Name).FirstOrDefaultAsync(ct);
        var attachments = await db.Attachments().AsNoTracking().Where(a => a.DossierId == row.Id).ToListAsync(ct);
        return DossierMessages.ToMessage(row, DossierDetails.FromJson(row.Details),
            procedure is null ? new ProtoCommon.LocalizedText() : Name(procedure), unitName ?? row.UnitCode, attachments, time.GetUtcNow());
    }

    /// <summary>The units the request names by code, read in one query.</summary>
    private async Task<Dictionary<string, AdministrativeUnitRow>> UnitsAsync(IEnumerable<string?> codes, CancellationToken ct)
    {
        var wanted = codes.Select(DeclarationRules.Blank).OfType<string>().Where(c => c.Length <= DeclarationRules.MaxCommuneCodeLength).Distinct().ToList();
        return wanted.Count == 0
            ? []
            : await db.Set<AdministrativeUnitRow>().AsNoTracking().Where(u => wanted.Contains(u.Code)).ToDictionaryAsync(u => u.Code, StringComparer.Ordinal, ct);
    }

    private static ProtoCommon.LocalizedText Name(ProcedureRecord procedure) => new() { Vi = procedure.NameVi, En = procedure.NameEn };

    /// <summary>Everything decided before the transaction; builds its rows.</summary>
    private sealed record Draft(
        Guid AccountId,
        string RequestId,
        ProcedureRecord Procedure,
        AdministrativeUnitRow Unit,
        DeclaredPerson Applicant,
        IReadOnlyList<ConcernedPerson> People,
        IReadOnlyDictionary<string, string> Form,
        DeliveryChoice Delivery,
        string CommuneCode,
        DateTimeOffset SubmittedAt,
        Deadline Deadline,
        Guid? AppointmentId,
        string? StationId)
    {
        public DossierDetails Details(IReadOnlyList<Guid> attachmentIds) => new()
        {
            Applicant = Applicant,
            People = People,
            Form = Form,
            AttachmentIds = attachmentIds,
            Delivery = Delivery,
            CommuneCode = CommuneCode,
        };

        public DossierRecord Row(Guid id, string code, DossierDetails details) => new()
        {
            Id = id,
            Code = code,
            ProcedureCode = Procedure.Code,
            UnitId = Unit.Id,
            UnitCode = Unit.Code,
            ApplicantAccountId = AccountId,
            ApplicantIdNumber = Applicant.IdNumber,
            ApplicantName = Applicant.FullName,
            Status = DossierStatuses.Code(DossierStatus.Submitted),
            Version = 1,
            SubmitRequestId = RequestId,
            SubmittedAt = SubmittedAt,
            ClockStartedAt = Deadline.ClockStartedAt,
            DueAt = Deadline.DueAt,
            ClockStops = "[]",
            UpdatedAt = SubmittedAt,
            Details = details.ToJson(),
            EventCount = 0,
            HistoryHead = HistoryChain.Genesis,
            StationId = StationId,
        };

        public DossierEventRecord SubmitEvent(IEnumerable<string> documents) => new()
        {
            At = SubmittedAt,
            Action = DossierActions.Code(DossierAction.Submit),
            FromStatus = null,
            ToStatus = DossierStatuses.Code(DossierStatus.Submitted),
            ActorId = AccountId,
            ActorName = Applicant.FullName,
            ActorRole = RoleNames.Name(Role.Citizen),
            Documents = HistoryChain.Documents(documents),
            RequestId = RequestId,
            PreviousHash = HistoryChain.Genesis,
            Hash = "",
        };

        public IEnumerable<DossierPersonRecord> PeopleRows(Guid dossierId)
            => People.Select(p => new DossierPersonRecord { DossierId = dossierId, IdNumber = p.Person.IdNumber, Role = "concerned" })
                .Prepend(new DossierPersonRecord { DossierId = dossierId, IdNumber = Applicant.IdNumber, Role = "applicant" });
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Dossier {Code} submitted ({Procedure}) to unit {Unit}.")]
        public static partial void Submitted(ILogger logger, string code, string procedure, string unit);
    }
}
