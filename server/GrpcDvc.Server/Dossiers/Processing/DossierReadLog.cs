using System.Data.Common;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.DataAccessLog;
using GrpcDvc.Server.Population.Registry;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers.Processing;

/// <summary>
/// Every answer of a processing rpc carries the dossier, with the declared personal data of the
/// applicant and the people concerned: like a registry read, it goes to the data-access log (purpose
/// DOSSIER_PROCESSING, the dossier code as reference), one entry per person. A change writes its
/// entries in its own transaction; a retry's answer commits them through the log's writer before it
/// is returned.
/// </summary>
public sealed class DossierReadLog(AccessLog log, AccessorNames names, AccessLogWriter writer)
{
    /// <summary>The registry fields a dossier's declarations hold.</summary>
    public static IReadOnlyList<string> DeclaredFields { get; } =
    [
        CitizenFields.IdNumber, CitizenFields.FullName, CitizenFields.BirthDate, CitizenFields.Gender,
        CitizenFields.PermanentResidence, CitizenFields.FatherIdNumber, CitizenFields.MotherIdNumber, CitizenFields.Phone,
    ];

    public async Task<List<DataAccessRecord>> EntriesAsync(CallerIdentity caller, DossierRecord row, DossierDetails details, string rpc, CancellationToken cancellationToken)
    {
        var accessor = await names.AccessorAsync(caller, cancellationToken);
        return
        [
            .. new[] { details.Applicant.IdNumber }.Concat(details.People.Select(p => p.Person.IdNumber)).Distinct(StringComparer.Ordinal)
                .Select(idNumber => log.NewRecord(new AccessEntry(accessor, (int)ReadPurpose.DossierProcessing, row.Code, null, idNumber, DeclaredFields, rpc))),
        ];
    }

    /// <summary>Commits entries outside a change (a retry's answer); UNAVAILABLE when the log cannot take them, as for registry reads.</summary>
    public async Task WriteAsync(List<DataAccessRecord> entries, CancellationToken cancellationToken)
    {
        try
        {
            await writer.WriteAsync(entries, cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or DbException or AccessLogClosedException)
        {
            throw PopulationErrors.AccessLogUnavailable();
        }
    }
}
