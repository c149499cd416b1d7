using GrpcDvc.Server.Access;
using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Proto = GrpcDvc.Contracts.Dossiers.V1;
using ProtoCommon = GrpcDvc.Contracts.Common.V1;

namespace GrpcDvc.Server.Dossiers.Tracking;

/// <summary>
/// Reading one dossier for a caller: who may (the applicant; officials and auditors whose unit covers
/// the dossier's unit) and the dossier in full, with the names of its procedure and unit and its attachments.
/// </summary>
public sealed class DossierReads(DvcDbContext db, IAgencyScope scope)
{
    /// <summary>
    /// The dossier <paramref name="code"/> if the caller may read it. A citizen gets the same refusal
    /// for a code that is not theirs and for one that is nobody's; an official NOT_FOUND for an unknown
    /// code and PERMISSION_DENIED (OUTSIDE_AGENCY_SCOPE) for another unit's, as registry lookups answer.
    /// </summary>
    public async Task<DossierRecord> FindForAsync(CallerIdentity caller, string code, CancellationToken cancellationToken)
    {
        var row = await db.Dossiers().AsNoTracking().SingleOrDefaultAsync(d => d.Code == code, cancellationToken);
        if (caller.Kind == AccountKind.Citizen)
        {
            return row is not null && row.ApplicantAccountId == caller.AccountId ? row : throw TrackingErrors.NotOwnDossier();
        }

        if (row is null)
        {
            throw TrackingErrors.DossierNotFound(code);
        }

        await EnsureCoversAsync(caller, row);
        return row;

        async Task EnsureCoversAsync(CallerIdentity official, DossierRecord dossier)
        {
            if (official.AgencyUnit is not { Length: > 0 } unit || !await scope.CoversAsync(unit, [dossier.UnitCode], cancellationToken))
            {
                throw TrackingErrors.OutsideAgency();
            }
        }
    }

    /// <summary>The dossier as it is stored now (no scope check: the caller was checked when the watch began).</summary>
    public Task<DossierRecord?> CurrentAsync(Guid id, CancellationToken cancellationToken)
        => db.Dossiers().AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);

    /// <summary>The ID numbers of the people a dossier concerns besides its applicant.</summary>
    public async Task<IReadOnlyCollection<string>> PeopleConcernedAsync(DossierRecord dossier, CancellationToken cancellationToken)
        => await db.DossierPeople().AsNoTracking()
            .Where(p => p.DossierId == dossier.Id && p.IdNumber != dossier.ApplicantIdNumber)
            .Select(p => p.IdNumber).ToListAsync(cancellationToken);

    public async Task<Proto.Dossier> MessageAsync(DossierRecord row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var procedure = await ProcedureNamesAsync([row.ProcedureCode], cancellationToken);
        var unitName = await UnitNameAsync(row.UnitId, cancellationToken);
        var attachments = await db.Attachments().AsNoTracking().Where(a => a.DossierId == row.Id)
            .OrderBy(a => a.UploadedAt).ThenBy(a => a.Id).ToListAsync(cancellationToken);
        return DossierMessages.ToMessage(row, DossierDetails.FromJson(row.Details), NameOf(procedure, row.ProcedureCode),
            unitName ?? row.UnitCode, attachments, now);
    }

    /// <summary>The catalog's names of the given procedures (one query for a page of dossiers).</summary>
    public async Task<IReadOnlyDictionary<string, ProtoCommon.LocalizedText>> ProcedureNamesAsync(IReadOnlyCollection<string> codes, CancellationToken cancellationToken)
    {
        var distinct = codes.Distinct(StringComparer.Ordinal).ToList();
        var rows = await db.Set<ProcedureRecord>().AsNoTracking().Where(p => distinct.Contains(p.Code))
            .Select(p => new { p.Code, p.NameVi, p.NameEn }).ToListAsync(cancellationToken);
        return rows.ToDictionary(p => p.Code, p => new ProtoCommon.LocalizedText { Vi = p.NameVi, En = p.NameEn }, StringComparer.Ordinal);
    }

    public async Task<string?> UnitNameAsync(int unitId, CancellationToken cancellationToken)
        => await db.Set<AdministrativeUnitRow>().AsNoTracking().Where(u => u.Id == unitId).Select(u => u.Name).FirstOrDefaultAsync(cancellationToken);

    /// <summary>A procedure the catalog no longer has keeps its code as its name.</summary>
    public static ProtoCommon.LocalizedText NameOf(IReadOnlyDictionary<string, ProtoCommon.LocalizedText> names, string code)
        => names.TryGetValue(code, out var name) ? name : new ProtoCommon.LocalizedText { Vi = code, En = code };
}
