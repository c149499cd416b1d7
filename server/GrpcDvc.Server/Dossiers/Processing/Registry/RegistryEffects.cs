using GrpcDvc.Server.Population;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers.Processing.Registry;

/// <summary>
/// Which procedure changes the registry how when its result is issued: one effect per procedure
/// code; procedures without one (information requests, confirmations, certificates, seals) change
/// nothing. The residence confirmation
/// (BCA-L4-09, CT07) changes no registry row: the history's event and the result document are the record.
/// </summary>
public sealed class RegistryEffects
{
    private readonly Dictionary<string, IRegistryEffect> _byProcedure = new(StringComparer.Ordinal)
    {
        ["BCA-L4-01"] = new PermanentResidenceRegistered(),
        ["BCA-L4-02"] = new PermanentResidenceDeleted(),
        ["BCA-L4-03"] = new TemporaryResidenceRegistered(),
        ["BCA-L4-04"] = new TemporaryResidenceExtended(),
        ["BCA-L4-05"] = new TemporaryResidenceDeleted(),
        ["BCA-L4-06"] = new HouseholdSplit(),
        ["BCA-L4-07"] = new ResidenceDataAdjusted(),
        ["BCA-L4-08"] = new ResidenceDeclared(),
        ["BCA-L4-10"] = new StayRecorded(),
        ["BCA-L4-11"] = new AbsenceRecorded(),
        ["BCA-L3-01"] = new IdentityCardIssued(DocumentStatus.Replaced),
        ["BCA-L3-02"] = new IdentityCardIssued(DocumentStatus.Replaced),
        ["BCA-L3-03"] = new IdentityCardIssued(DocumentStatus.Replaced),
        ["BCA-L3-04"] = new IdentityCardIssued(DocumentStatus.Replaced),
        ["BCA-L3-05"] = new IdentityCardIssued(DocumentStatus.Lost),
        ["BCA-L3-06"] = new IdentityCardIssued(DocumentStatus.Lost),
    };

    public IReadOnlyCollection<string> ProceduresWithEffects => _byProcedure.Keys;

    public IRegistryEffect? For(string procedureCode) => _byProcedure.GetValueOrDefault(procedureCode);

    /// <summary>Makes the procedure's effect, if it has one; throws <see cref="RegistryEffectException"/> when the registry does not allow it.</summary>
    public async Task ApplyAsync(RegistryEffectContext context, CancellationToken cancellationToken)
    {
        if (For(context.Dossier.ProcedureCode) is { } effect)
        {
            await LockPeopleAsync(context, cancellationToken);
            await effect.ApplyAsync(context, cancellationToken);
        }
    }

    /// <summary>
    /// Two results for one person issued at the same moment (a temporary residence registered by one
    /// dossier while another deletes it) would each read the person's residences before the other
    /// wrote, under PostgreSQL's READ COMMITTED, and both write: two open residences, or a deletion
    /// undone. Locking the people concerned and their households' members first, in id order, makes
    /// the second wait and read what the first committed. SQLite runs one writing transaction at a
    /// time (BEGIN IMMEDIATE) and needs no lock.
    /// </summary>
    private static async Task LockPeopleAsync(RegistryEffectContext context, CancellationToken cancellationToken)
    {
        if (!context.Db.Database.IsNpgsql())
        {
            return;
        }

        var idNumbers = context.Subjects().Where(n => !string.IsNullOrEmpty(n)).ToArray();
        await context.Db.Database.ExecuteSqlAsync(
            $"""
            SELECT 1 FROM citizens
             WHERE id_number = ANY({idNumbers})
                OR household_id IN (SELECT household_id FROM citizens WHERE id_number = ANY({idNumbers}) AND household_id IS NOT NULL)
             ORDER BY id FOR UPDATE
            """, cancellationToken);
    }
}
