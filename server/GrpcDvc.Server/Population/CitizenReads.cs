using System.Data.Common;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Population.DataAccessLog;
using GrpcDvc.Server.Population.Registry;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Population;

/// <summary>
/// The one way registry rpcs read a citizen's data: who may read it (a citizen their own record,
/// an official within their agency scope), and the access-log entry, committed (by the group-commit
/// <see cref="AccessLogWriter"/>) before anything is returned. When the entry cannot be written the
/// read fails with UNAVAILABLE and no data leaves the server.
/// A lookup that finds nobody is logged too, with no fields: asking about an ID number is itself sensitive.
/// </summary>
public sealed partial class CitizenReads(
    AccessLog log, AccessLogWriter writer, IAgencyScope scope, AccessorNames names, IHttpContextAccessor http, ILogger<CitizenReads> logger)
{
    /// <summary>Reads one citizen; null (logged, no fields) when <paramref name="find"/> finds nobody.</summary>
    /// <param name="subject">The number asked about: the ID number, or the old CMND number for a confirmation.</param>
    /// <param name="fields">The fields the reply carries, for the log.</param>
    public async Task<CitizenRecord?> ReadOneAsync(
        ReadContext read, string subject, Func<Task<CitizenRecord?>> find, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        // A citizen asking about someone else is refused before the database is asked anything.
        if (read.OwnRecordOnly && read.SubjectIsIdNumber && read.Caller.Kind == AccountKind.Citizen && subject != read.Caller.IdNumber)
        {
            throw PopulationErrors.NotOwnRecord();
        }

        // No transaction around the two: the read is one command (its own snapshot), and the entry is
        // committed by the writer, with other reads' entries, before the record is returned. One round
        // trip of this call's own, where BEGIN ... COMMIT around the two took four, with the same
        // guarantee: nothing leaves unlogged.
        var record = await find();
        if (record is not null)
        {
            await AuthorizeAsync(read, record, cancellationToken);
        }
        else if (read.OwnRecordOnly && !read.SubjectIsIdNumber && read.Caller.Kind == AccountKind.Citizen)
        {
            // An old number that is nobody's must answer a citizen as one that is someone else's:
            // "not found" beside "not yours" would tell them which old numbers exist.
            throw PopulationErrors.NotOwnRecord();
        }

        var accessor = await names.AccessorAsync(read.Caller, cancellationToken);
        var entry = log.NewRecord(new AccessEntry(accessor, (int)read.Purpose.Purpose, read.Purpose.Reference, read.Purpose.LegalBasis,
            record?.IdNumber ?? subject, record is null ? [] : fields, read.Rpc));
        await CommitAsync([entry], read.Rpc, cancellationToken);
        return record;
    }

    /// <summary>
    /// Reads the citizens a declaration check names (a dossier's applicant and people) in one command,
    /// for a check whose answer carries nothing of the records but where they differ from the declared
    /// data. Each subject gets its entry (no fields when nobody has the number), but the entries are
    /// NOT committed here: the caller commits them before it answers, either in its own transaction
    /// with what the check allowed (<see cref="CheckedReads.AddTo"/>, then <see cref="CheckedReads.MarkCommitted"/>),
    /// or through the group-commit writer (<see cref="CheckedReads.LogAsync"/>) on every other way out.
    /// </summary>
    /// <param name="find">Reads the citizens with the given ID numbers, in one command; a number nobody has is left out.</param>
    public async Task<CheckedReads> ReadForCheckAsync(
        CallerIdentity caller, StatedPurpose purpose, string rpc, IReadOnlyList<CheckedSubject> subjects,
        Func<IReadOnlyList<string>, Task<IReadOnlyList<CitizenRecord>>> find, CancellationToken cancellationToken)
    {
        foreach (var subject in subjects)
        {
            // As in ReadOneAsync: a citizen asking about someone else is refused before the database is asked anything.
            if (subject.OwnRecordOnly && caller.Kind == AccountKind.Citizen && subject.IdNumber != caller.IdNumber)
            {
                throw PopulationErrors.NotOwnRecord();
            }
        }

        var found = (await find([.. subjects.Select(s => s.IdNumber).Distinct(StringComparer.Ordinal)])).ToDictionary(r => r.IdNumber, StringComparer.Ordinal);
        foreach (var subject in subjects)
        {
            if (found.TryGetValue(subject.IdNumber, out var record))
            {
                await AuthorizeAsync(new ReadContext(caller, purpose, rpc, OwnRecordOnly: subject.OwnRecordOnly), record, cancellationToken);
            }
        }

        var accessor = await names.AccessorAsync(caller, cancellationToken);
        var entries = subjects.Select(subject => log.NewRecord(new AccessEntry(accessor, (int)purpose.Purpose, purpose.Reference, purpose.LegalBasis,
            subject.IdNumber, found.ContainsKey(subject.IdNumber) ? subject.Fields : [], rpc))).ToList();
        return new CheckedReads(found, entries, ct => CommitAsync(entries, rpc, ct));
    }

    /// <summary>Reads a page of citizens; those outside the caller's scope are left out, each one returned is logged.</summary>
    public async Task<(IReadOnlyList<CitizenRecord> Items, CitizenPage Page)> ReadPageAsync(
        ReadContext read, Func<Task<CitizenPage>> find, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        // No transaction: under PostgreSQL's READ COMMITTED it would not hold the page and its total to one
        // snapshot anyway, and on SQLite it would take the write lock the access-log writer needs.
        var page = await find();
        var served = new List<CitizenRecord>(page.Items.Count);
        foreach (var record in page.Items)
        {
            if (await InScopeAsync(read.Caller, record, cancellationToken))
            {
                served.Add(record);
            }
        }

        var accessor = await names.AccessorAsync(read.Caller, cancellationToken);
        var entries = served.Select(record => log.NewRecord(new AccessEntry(accessor, (int)read.Purpose.Purpose, read.Purpose.Reference,
            read.Purpose.LegalBasis, record.IdNumber, fields, read.Rpc))).ToList();
        await CommitAsync(entries, read.Rpc, cancellationToken);
        return (served, page);
    }

    /// <summary>
    /// The units of residence a search by <paramref name="caller"/> is limited to, by the rule of
    /// <see cref="InScopeAsync"/>: null (no limit) for a caller who is no official or an official of
    /// a national unit, empty for an official without a unit. The search puts it into its SQL, so
    /// pages and totals count only citizens the caller may see; <see cref="ReadPageAsync"/> still
    /// checks each record as a second guard.
    /// </summary>
    public async Task<IReadOnlyCollection<int>?> SearchScopeAsync(CallerIdentity caller, CancellationToken cancellationToken)
        => caller.Kind != AccountKind.Official ? null
            : caller.AgencyUnit is { } unit ? await scope.CoveredUnitIdsAsync(unit, cancellationToken)
            : [];

    private async Task AuthorizeAsync(ReadContext read, CitizenRecord record, CancellationToken cancellationToken)
    {
        var caller = read.Caller;
        if (read.OwnRecordOnly && caller.Kind == AccountKind.Citizen && record.IdNumber != caller.IdNumber)
        {
            throw PopulationErrors.NotOwnRecord();
        }

        if (!await InScopeAsync(caller, record, cancellationToken))
        {
            throw PopulationErrors.OutsideAgencyScope();
        }
    }

    private async Task<bool> InScopeAsync(CallerIdentity caller, CitizenRecord record, CancellationToken cancellationToken)
        => caller.Kind != AccountKind.Official
            || (caller.AgencyUnit is { } unit && await scope.CoversAsync(unit, record.ResidenceUnitCodes, cancellationToken));

    /// <summary>Returns once the entries are committed; an empty page has none to wait for.</summary>
    private async Task CommitAsync(List<DataAccessRecord> entries, string rpc, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        try
        {
            await writer.WriteAsync(entries, cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or DbException or AccessLogClosedException)
        {
            // The caller learns only UNAVAILABLE; the operator needs the cause, once, tied to the request.
            // The exception carries no row values: EF logs no parameter values and Npgsql redacts error
            // details unless told otherwise, so no ID number or name reaches the log.
            Log.AccessLogWriteFailed(logger, e, http.HttpContext?.TraceIdentifier ?? "", rpc, SqlStateOf(e));
            throw PopulationErrors.AccessLogUnavailable();
        }
    }

    /// <summary>The database's error code behind an exception, or empty (for logs: a code, never the statement's values).</summary>
    internal static string SqlStateOf(Exception e)
        => (e as DbException ?? e.InnerException as DbException)?.SqlState ?? "";

    private static partial class Log
    {
        [LoggerMessage(EventId = 410, Level = LogLevel.Error,
            Message = "Request {RequestId} ({Rpc}): the access-log entry could not be written (SQLSTATE {SqlState}); the read was refused with UNAVAILABLE.")]
        public static partial void AccessLogWriteFailed(ILogger logger, Exception exception, string requestId, string rpc, string sqlState);
    }
}

/// <summary>A citizen a declaration check reads, and the fields it compares (what the access-log entry names).</summary>
/// <param name="OwnRecordOnly">The caller's own record (the applicant); false for a person the caller declares on their behalf.</param>
public sealed record CheckedSubject(string IdNumber, IReadOnlyList<string> Fields, bool OwnRecordOnly);

/// <summary>
/// The records a declaration check read, and their access-log entries, not yet committed. Whoever holds
/// it must have the entries committed before anything decided on the records leaves the server: with
/// its own transaction, or through <see cref="LogAsync"/>.
/// </summary>
public sealed class CheckedReads(IReadOnlyDictionary<string, CitizenRecord> records, IReadOnlyList<DataAccessRecord> entries, Func<CancellationToken, Task> log)
{
    /// <summary>The entries are committed (by the holder's transaction or by <see cref="LogAsync"/>).</summary>
    public bool Committed { get; private set; }

    /// <summary>The record of <paramref name="idNumber"/>, or null when the registry has nobody with it.</summary>
    public CitizenRecord? Find(string idNumber) => records.GetValueOrDefault(idNumber);

    /// <summary>Adds the entries to <paramref name="db"/>, to be committed by the holder's transaction; call <see cref="MarkCommitted"/> once it has.</summary>
    public void AddTo(DbContext db) => db.Set<DataAccessRecord>().AddRange(entries);

    /// <summary>The holder's transaction, holding the entries, committed.</summary>
    public void MarkCommitted() => Committed = true;

    /// <summary>Commits the entries through the group-commit writer unless already committed; UNAVAILABLE when they cannot be.</summary>
    public async Task LogAsync(CancellationToken cancellationToken)
    {
        if (!Committed)
        {
            await log(cancellationToken);
            Committed = true;
        }
    }
}

/// <summary>Who reads, why, and through which rpc.</summary>
/// <param name="SubjectIsIdNumber">False when the subject is an old CMND number (the owner is known only after the lookup).</param>
/// <param name="OwnRecordOnly">A citizen may read only their own record; false for an extraction made with the subject's consent.</param>
public sealed record ReadContext(CallerIdentity Caller, StatedPurpose Purpose, string Rpc, bool SubjectIsIdNumber = true, bool OwnRecordOnly = true);
