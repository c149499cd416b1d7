using GrpcDvc.Server.Access;
using GrpcDvc.Server.Dossiers;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.DataAccessLog;
using GrpcDvc.Server.Population.Registry;

namespace GrpcDvc.Server.Appointments.Door;

/// <summary>
/// The door's answers show whose appointment it is (personal ID number and name), so they go to the access log
/// like every read of personal data, committed before the answer leaves (UNAVAILABLE when they cannot be): an
/// official's read with purpose card issuance, one entry per person shown, the reference the dossier code (or the
/// appointment id of one without a dossier); a citizen's own slip as self-service. MarkCollected needs none of its
/// own: the dossier's receipt logs the dossier's people in its transaction.
/// </summary>
public sealed class DoorReadLog(AccessLog log, AccessorNames names, DossierReadLog dossierLog)
{
    private static readonly IReadOnlyList<string> Shown = CitizenFields.InOrder([CitizenFields.IdNumber, CitizenFields.FullName]);

    public async Task WriteAsync(CallerIdentity caller, IEnumerable<AppointmentRecord> shown, string rpc, CancellationToken cancellationToken)
    {
        var accessor = await names.AccessorAsync(caller, cancellationToken);
        var self = caller.Kind == AccountKind.Citizen;
        var purpose = (int)(self ? ReadPurpose.SelfService : ReadPurpose.CardIssuance);
        var entries = shown
            .Select(a => log.NewRecord(new AccessEntry(accessor, purpose, a.DossierCode ?? a.Id.ToString("D"), null, self ? caller.IdNumber ?? a.IdNumber : a.IdNumber, Shown, rpc)))
            .ToList();
        if (entries.Count > 0)
        {
            await dossierLog.WriteAsync(entries, rpc, cancellationToken);
        }
    }
}
