using System.Data.Common;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.DataAccessLog;
using GrpcDvc.Server.Population.Registry;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers;

/// <summary>
/// A dossier read is logged like a registry read: the entries go through the registry's access-log
/// writer and are committed before the dossier leaves the server (UNAVAILABLE, and nothing returned,
/// when they cannot be). An official's read names every person the dossier declares — the applicant
/// and the people concerned — with purpose dossier processing, an auditor's with purpose audit; the
/// reference is the dossier code. A citizen reading their own dossier is logged as GetMyRecord is:
/// self-service, the citizen alone. Every answer that carries a dossier logs this way: the reads, and
/// the processing rpcs (a change adds its entries to its own transaction; a retry's answer commits them
/// through the writer first).
/// </summary>
public sealed partial class DossierReadLog(
    AccessLog log, AccessLogWriter writer, AccessorNames names, IHttpContextAccessor http, ILogger<DossierReadLog> logger)
{
    /// <summary>What a dossier shows of a person: the declaration's fields.</summary>
    public static readonly IReadOnlyList<string> DeclaredFields = CitizenFields.InOrder([
        CitizenFields.IdNumber, CitizenFields.FullName, CitizenFields.BirthDate, CitizenFields.Gender, CitizenFields.PermanentResidence,
        CitizenFields.FatherIdNumber, CitizenFields.MotherIdNumber, CitizenFields.Phone,
    ]);

    private static readonly Role[] ProcessingRoles = [Role.IntakeOfficer, Role.ProcessingOfficer, Role.ApprovingLeader];

    /// <summary>The purpose a caller's read of a dossier states.</summary>
    public static ReadPurpose PurposeOf(CallerIdentity caller)
        => caller.Kind == AccountKind.Citizen ? ReadPurpose.SelfService
            : caller.HasAnyRole(ProcessingRoles) ? ReadPurpose.DossierProcessing
            : ReadPurpose.Audit;

    /// <summary>The entries of one answer carrying <paramref name="dossier"/> (not yet written).</summary>
    public async Task<List<DataAccessRecord>> EntriesAsync(CallerIdentity caller, DossierRecord dossier, IEnumerable<string> peopleConcerned, string rpc, CancellationToken cancellationToken)
    {
        var purpose = PurposeOf(caller);
        IEnumerable<string> subjects = purpose == ReadPurpose.SelfService
            ? [caller.IdNumber ?? dossier.ApplicantIdNumber]
            : [dossier.ApplicantIdNumber, .. peopleConcerned];
        var accessor = await names.AccessorAsync(caller, cancellationToken);
        return subjects.Distinct(StringComparer.Ordinal)
            .Select(subject => log.NewRecord(new AccessEntry(accessor, (int)purpose, dossier.Code, null, subject, DeclaredFields, rpc)))
            .ToList();
    }

    /// <summary>Returns once the read's entries are committed.</summary>
    public async Task WriteAsync(CallerIdentity caller, DossierRecord dossier, IReadOnlyCollection<string> peopleConcerned, string rpc, CancellationToken cancellationToken)
        => await WriteAsync(await EntriesAsync(caller, dossier, peopleConcerned, rpc, cancellationToken), rpc, cancellationToken);

    /// <summary>Commits entries through the registry's writer; UNAVAILABLE when the log cannot take them, as for registry reads.</summary>
    public async Task WriteAsync(List<DataAccessRecord> entries, string rpc, CancellationToken cancellationToken)
    {
        try
        {
            await writer.WriteAsync(entries, cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or DbException or AccessLogClosedException)
        {
            // Once, with the request id the caller's logs can match, and the database's code; no personal data.
            Log.AccessLogWriteFailed(logger, e, http.HttpContext?.TraceIdentifier ?? "", rpc, CitizenReads.SqlStateOf(e));
            throw PopulationErrors.AccessLogUnavailable();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1110, Level = LogLevel.Error,
            Message = "Request {RequestId} ({Rpc}): the access-log entries of a dossier read could not be written (SQLSTATE {SqlState}); the read was refused with UNAVAILABLE.")]
        public static partial void AccessLogWriteFailed(ILogger logger, Exception exception, string requestId, string rpc, string sqlState);
    }
}
