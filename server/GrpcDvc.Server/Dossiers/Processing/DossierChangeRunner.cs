using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Dossiers.History;
using GrpcDvc.Server.Dossiers.Submission;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Proto = GrpcDvc.Contracts.Dossiers.V1;

namespace GrpcDvc.Server.Dossiers.Processing;

/// <summary>Who made a change, as the history keeps it.</summary>
public sealed record ChangeActor(Guid AccountId, string Name, Role Role, string? UnitCode);

/// <summary>One change being made: the dossier as read (tracked), its details, the move, and what the event will say.</summary>
public sealed class DossierChange
{
    public required DossierRecord Row { get; init; }

    public required DossierDetails Details { get; set; }

    public required ProcedureRecord Procedure { get; init; }

    public required DossierStatus From { get; init; }

    public required DossierStatus To { get; init; }

    public required DateTimeOffset Now { get; init; }

    public required ChangeActor Actor { get; init; }

    public string? Reason { get; set; }

    public IReadOnlyList<string> Documents { get; set; } = [];
}

/// <summary>The dossier after a change and the event it appended (or, for a retry, the first answer's event).</summary>
public sealed record ChangeOutcome(Proto.Dossier Dossier, Proto.DossierEvent Event);

/// <summary>
/// Makes one change of a dossier the way every business call must: the caller may act on it (a
/// citizen their own dossier, an official one of a unit theirs covers), a retry with the same request
/// id returns the first answer and writes nothing, the version seen must be the current one, the state
/// machine must allow the move; then ONE transaction: the call's own writes, the conditional update of
/// the dossier on the version read (a concurrent change makes it ABORTED), and the event appended to
/// the hash chain. The change is announced after the commit.
/// </summary>
public sealed partial class DossierChangeRunner(
    DvcDbContext db,
    CatalogStore catalog,
    CompetentUnits units,
    IAgencyScope scope,
    AccessorNames names,
    IDossierChanges changes,
    DossierReadLog readLog,
    TimeProvider time,
    ILogger<DossierChangeRunner> logger)
{
    public async Task<ChangeOutcome> RunAsync(ChangeTarget target, DossierAction action, ServerCallContext context, Func<DossierChange, Task> apply)
    {
        var cancellationToken = context.CancellationToken;
        var caller = context.GetCaller();
        // One round for the dossier (tracked: the change updates it) and whether this request id already
        // made an event on it (a retry, read in full only then). The event's sequence is a scalar
        // subquery on the dossier's own events (its key's prefix); a whole event in the projection
        // would be a window over every event with that request id.
        var requestId = target.RequestId;
        var found = await db.Dossiers().Where(d => d.Code == target.Code)
                        .Select(d => new
                        {
                            Row = d,
                            FirstSequence = db.DossierEvents().Where(e => e.DossierId == d.Id && e.RequestId == requestId).Select(e => (long?)e.Sequence).FirstOrDefault(),
                        })
                        .FirstOrDefaultAsync(cancellationToken)
                    ?? throw ProcessingErrors.DossierNotFound(target.Code);
        var row = found.Row;
        var role = await EnsureMayActAsync(caller, action, row, cancellationToken);

        if (found.FirstSequence is not null && await FirstAnswerAsync(row.Id, requestId, action, cancellationToken) is { } first)
        {
            return await RetryAnswerAsync(caller, context.Method, row.Id, first, cancellationToken);
        }

        var current = DossierStatuses.Parse(row.Status);
        var seenVersion = row.Version;
        if (target.ExpectedVersion != 0 && target.ExpectedVersion != row.Version)
        {
            throw ProcessingErrors.VersionConflict(row.Code, current, row.Version, target.ExpectedVersion);
        }

        var next = DossierStateMachine.Next(action, current, row.ResumeStatus is { } resume ? DossierStatuses.Parse(resume) : null)
                   ?? throw ProcessingErrors.TransitionRefused(row.Code, action, current);
        var procedure = await catalog.FindAsync(row.ProcedureCode, cancellationToken)
                        ?? throw new InvalidOperationException($"Dossier {row.Code} names procedure {row.ProcedureCode}, which the catalog does not hold.");
        var change = new DossierChange
        {
            Row = row,
            Details = DossierDetails.FromJson(row.Details),
            Procedure = procedure,
            From = current,
            To = next,
            // Stored instants are milliseconds: the first answer and a retry's must say the same.
            Now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds()),
            Actor = await ActorAsync(caller, role, row, cancellationToken),
        };

        DossierEventRecord appended;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await apply(change);
            appended = Append(change, action, target.RequestId);
            // The answer shows the dossier's personal data: its access-log entries commit with the change.
            db.AddRange(await readLog.EntriesAsync(caller, row, change.Details.People.Select(p => p.Person.IdNumber), context.Method, cancellationToken));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException lost)
        {
            // Another change of this dossier committed first (the version moved), or a retry of this very
            // request did (its request id is taken): the retry gets the first answer, anyone else ABORTED.
            db.ChangeTracker.Clear();
            var now = await db.Dossiers().AsNoTracking().FirstAsync(d => d.Id == row.Id, cancellationToken);
            if (await FirstAnswerAsync(row.Id, target.RequestId, action, cancellationToken) is { } winner)
            {
                return await RetryAnswerAsync(caller, context.Method, row.Id, winner, cancellationToken);
            }

            if (now.Version == seenVersion && lost is not DbUpdateConcurrencyException)
            {
                // Not a race: a write failed for its own reason.
                throw;
            }

            LogConflict(row.Code, DossierActions.Code(action), lost.GetType().Name);
            throw ProcessingErrors.VersionConflict(row.Code, DossierStatuses.Parse(now.Status), now.Version, target.ExpectedVersion);
        }
        catch (Registry.RegistryEffectException refused)
        {
            db.ChangeTracker.Clear();
            throw ProcessingErrors.RegistryEffectFailed(row.Code, refused.Message);
        }
        catch (RpcException)
        {
            // A refusal found inside the transaction (an attachment, the form): nothing was kept.
            db.ChangeTracker.Clear();
            throw;
        }

        changes.Changed(row.Code);
        return await OutcomeAsync(row, change.Details, appended, procedure, cancellationToken);
    }

    private DossierEventRecord Append(DossierChange change, DossierAction action, string requestId)
    {
        var row = change.Row;
        row.Status = DossierStatuses.Code(change.To);
        row.Version++;
        row.UpdatedAt = change.Now;
        row.Details = change.Details.ToJson();
        var appended = new DossierEventRecord
        {
            At = change.Now,
            Action = DossierActions.Code(action),
            FromStatus = DossierStatuses.Code(change.From),
            ToStatus = DossierStatuses.Code(change.To),
            ActorId = change.Actor.AccountId,
            ActorName = change.Actor.Name,
            ActorRole = RoleNames.Name(change.Actor.Role),
            UnitCode = change.Actor.UnitCode,
            Reason = change.Reason,
            Documents = HistoryChain.Documents(change.Documents),
            RequestId = requestId,
            PreviousHash = string.Empty,
            Hash = string.Empty,
        };
        HistoryChain.Link(row, appended);
        db.DossierEvents().Add(appended);
        return appended;
    }

    /// <summary>A citizen acts only on their own dossier; an official only on one of a unit theirs covers. The role acted in.</summary>
    private async Task<Role> EnsureMayActAsync(CallerIdentity caller, DossierAction action, DossierRecord row, CancellationToken cancellationToken)
    {
        var role = DossierStateMachine.ActingRole(action, caller.Roles)
                   ?? throw AccessErrors.PermissionDenied(AccessReasons.RoleNotAllowed, "None of your roles may make this change.");
        if (caller.Kind == AccountKind.Citizen)
        {
            if (row.ApplicantAccountId != caller.AccountId)
            {
                throw AccessErrors.PermissionDenied(AccessReasons.NotOwnRecord, "A citizen may act only on their own dossiers.");
            }

            return role;
        }

        var covered = caller.AgencyUnit is { Length: > 0 } unit ? await scope.CoveredUnitIdsAsync(unit, cancellationToken) : [];
        if (covered is not null && !covered.Contains(row.UnitId))
        {
            throw AccessErrors.PermissionDenied(AccessReasons.OutsideAgency, "This dossier belongs to a unit outside your agency unit and the units under it.");
        }

        return role;
    }

    private async Task<ChangeActor> ActorAsync(CallerIdentity caller, Role role, DossierRecord row, CancellationToken cancellationToken)
    {
        if (caller.Kind == AccountKind.Citizen)
        {
            return new ChangeActor(caller.AccountId, row.ApplicantName, role, null);
        }

        // The access log's names, cached per instance: the name an official's change is signed with costs no round trip once seen.
        var accessor = await names.AccessorAsync(caller, cancellationToken);
        return new ChangeActor(caller.AccountId, accessor.Name, role, caller.AgencyUnit);
    }

    /// <summary>The event a request id already made on this dossier; a request id used for another kind of change is a client bug.</summary>
    private async Task<DossierEventRecord?> FirstAnswerAsync(Guid dossierId, string requestId, DossierAction action, CancellationToken cancellationToken)
        => SameChange(await db.DossierEvents().AsNoTracking().FirstOrDefaultAsync(e => e.DossierId == dossierId && e.RequestId == requestId, cancellationToken), action);

    /// <summary>The event a request id made, when it made this kind of change; INVALID_ARGUMENT when it made another.</summary>
    private static DossierEventRecord? SameChange(DossierEventRecord? first, DossierAction action)
    {
        if (first is not null && first.Action != DossierActions.Code(action))
        {
            throw RpcErrors.InvalidArgument("This request id was already used for another change of this dossier.",
                new FieldViolation("request_id", $"Already used for {first.Action}; make up a new id for each change.", ProcessingReasons.RequestIdReused));
        }

        return first;
    }

    /// <summary>A retry's answer: the dossier as it is now with the first answer's event, its read logged first.</summary>
    private async Task<ChangeOutcome> RetryAnswerAsync(CallerIdentity caller, string rpc, Guid dossierId, DossierEventRecord first, CancellationToken cancellationToken)
    {
        var now = await db.Dossiers().AsNoTracking().FirstAsync(d => d.Id == dossierId, cancellationToken);
        var details = DossierDetails.FromJson(now.Details);
        await readLog.WriteAsync(await readLog.EntriesAsync(caller, now, details.People.Select(p => p.Person.IdNumber), rpc, cancellationToken), rpc, cancellationToken);
        return await OutcomeAsync(now, details, first, await catalog.FindAsync(now.ProcedureCode, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The answer: the dossier with its procedure's and unit's names (both from the shared caches) and
    /// its attachments, which are only read when its details name any (every attachment a dossier takes
    /// up is added to them in the same transaction, at submission or supplement).
    /// </summary>
    private async Task<ChangeOutcome> OutcomeAsync(DossierRecord row, DossierDetails details, DossierEventRecord appended, ProcedureRecord? procedure, CancellationToken cancellationToken)
    {
        var unit = await units.FindAsync(row.UnitId, cancellationToken);
        List<AttachmentRecord> attachments = details.AttachmentIds.Count == 0
            ? []
            : await db.Attachments().AsNoTracking().Where(a => a.DossierId == row.Id).OrderBy(a => a.UploadedAt).ToListAsync(cancellationToken);
        var name = procedure is null ? new Contracts.Common.V1.LocalizedText() : new Contracts.Common.V1.LocalizedText { Vi = procedure.NameVi, En = procedure.NameEn };
        var dossier = DossierMessages.ToMessage(row, details, name, unit?.Name ?? row.UnitCode, attachments, time.GetUtcNow());
        return new ChangeOutcome(dossier, DossierMessages.ToMessage(appended));
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Dossier {Code}: {Action} lost to a concurrent change ({Kind}); answered ABORTED.")]
    private partial void LogConflict(string code, string action, string kind);
}
