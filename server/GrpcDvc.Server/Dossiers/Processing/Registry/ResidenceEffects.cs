using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers.Processing.Registry;

/// <summary>
/// Đăng ký tạm trú (BCA-L4-03), Residence Law 2020 art. 27–28: the applicant and the people concerned
/// are registered at the form's address from from_date (to to_date when given); a temporary residence
/// they had ends the day before; their place of residence now is the new one.
/// </summary>
public sealed class TemporaryResidenceRegistered : IRegistryEffect
{
    public async Task ApplyAsync(RegistryEffectContext context, CancellationToken cancellationToken)
    {
        var place = await RegistryPlaces.FormAddressAsync(context, cancellationToken);
        var from = context.Date(ResidenceFormKeys.FromDate) ?? context.Today;
        var to = context.Date(ResidenceFormKeys.ToDate);
        if (to is { } end && end < from)
        {
            throw new RegistryEffectException("to_date is before from_date");
        }

        foreach (var idNumber in context.Subjects())
        {
            var citizen = await RegistryPlaces.CitizenAsync(context, idNumber, cancellationToken);
            foreach (var open in await Residences.OpenAsync(context, citizen.Id, ResidenceKind.Temporary, from, cancellationToken))
            {
                open.ValidTo = Residences.DayBefore(from, open.ValidFrom);
            }

            context.Db.Set<ResidenceRecordRow>().Add(new ResidenceRecordRow
            {
                CitizenId = citizen.Id, Kind = ResidenceKind.Temporary, UnitId = place.UnitId, RegisteredUnitId = place.RegisteredUnitId,
                Address = place.Address, ValidFrom = from, ValidTo = to,
            });
            citizen.TemporaryUnitId = place.UnitId;
            citizen.TemporaryAddress = place.Address;
            Residences.LivesAt(citizen, place.UnitId, place.Address, place.ProvinceId);
        }
    }
}

/// <summary>Gia hạn tạm trú (BCA-L4-04), art. 28(2): the current temporary residence runs to the new to_date.</summary>
public sealed class TemporaryResidenceExtended : IRegistryEffect
{
    public async Task ApplyAsync(RegistryEffectContext context, CancellationToken cancellationToken)
    {
        var to = context.Date(ResidenceFormKeys.ToDate) ?? throw new RegistryEffectException("the form gives no to_date to extend to");
        foreach (var idNumber in context.Subjects())
        {
            var citizen = await RegistryPlaces.CitizenAsync(context, idNumber, cancellationToken);
            var current = citizen.TemporaryUnitId is null
                ? null
                : (await Residences.OpenAsync(context, citizen.Id, ResidenceKind.Temporary, context.Today, cancellationToken)).LastOrDefault();
            if (current is null)
            {
                throw new RegistryEffectException($"{idNumber} has no temporary residence to extend");
            }

            if (to <= (current.ValidTo ?? context.Today))
            {
                throw new RegistryEffectException($"to_date {to:yyyy-MM-dd} does not extend the temporary residence of {idNumber}");
            }

            current.ValidTo = to;
        }
    }
}

/// <summary>
/// Xóa đăng ký tạm trú (BCA-L4-05), art. 29: the temporary residence ends on from_date (default: the
/// day of issue); the person lives at their permanent residence again.
/// </summary>
public sealed class TemporaryResidenceDeleted : IRegistryEffect
{
    public async Task ApplyAsync(RegistryEffectContext context, CancellationToken cancellationToken)
    {
        var on = context.Date(ResidenceFormKeys.FromDate) ?? context.Today;
        foreach (var idNumber in context.Subjects())
        {
            var citizen = await RegistryPlaces.CitizenAsync(context, idNumber, cancellationToken);
            var open = await Residences.OpenAsync(context, citizen.Id, ResidenceKind.Temporary, on, cancellationToken);
            if (citizen.TemporaryUnitId is null && open.Count == 0)
            {
                throw new RegistryEffectException($"{idNumber} has no temporary residence to delete");
            }

            foreach (var record in open)
            {
                record.ValidTo = on < record.ValidFrom ? record.ValidFrom : on;
            }

            citizen.TemporaryUnitId = null;
            citizen.TemporaryAddress = null;
            Residences.LivesAt(citizen, citizen.PermanentUnitId, citizen.PermanentAddress, await RegistryPlaces.ProvinceIdAsync(context, citizen.PermanentUnitId, cancellationToken));
        }
    }
}

/// <summary>
/// Đăng ký thường trú (BCA-L4-01), art. 20–22: the applicant and the people concerned are registered
/// permanently at the form's address from from_date; the permanent residence they had ends the day
/// before. They join the household of household_head_id_number (the applicant's relation from
/// relation_to_head, the others' from the dossier), or form a new household the applicant heads.
/// </summary>
public sealed class PermanentResidenceRegistered : IRegistryEffect
{
    public async Task ApplyAsync(RegistryEffectContext context, CancellationToken cancellationToken)
    {
        var place = await RegistryPlaces.FormAddressAsync(context, cancellationToken);
        var from = context.Date(ResidenceFormKeys.FromDate) ?? context.Today;
        var household = await HouseholdAsync(context, place, from, cancellationToken);
        foreach (var idNumber in context.Subjects())
        {
            var citizen = await RegistryPlaces.CitizenAsync(context, idNumber, cancellationToken);
            foreach (var open in await Residences.OpenAsync(context, citizen.Id, ResidenceKind.Permanent, from, cancellationToken))
            {
                open.ValidTo = Residences.DayBefore(from, open.ValidFrom);
            }

            context.Db.Set<ResidenceRecordRow>().Add(new ResidenceRecordRow
            {
                CitizenId = citizen.Id, Kind = ResidenceKind.Permanent, UnitId = place.UnitId, RegisteredUnitId = place.RegisteredUnitId,
                Address = place.Address, ValidFrom = from,
            });
            if (citizen.HouseholdId != household.Id)
            {
                await Residences.LeaveHouseholdAsync(context, citizen, cancellationToken);
            }

            citizen.PermanentUnitId = place.UnitId;
            citizen.PermanentAddress = place.Address;
            citizen.HouseholdId = household.Id;
            citizen.RelationToHead = household.HeadIdNumber == idNumber ? RelationToHead.Head : RelationOf(context, idNumber);
            if (citizen.TemporaryUnitId is null)
            {
                Residences.LivesAt(citizen, place.UnitId, place.Address, place.ProvinceId);
            }
        }

        if (household.New is { } created)
        {
            created.HeadCitizenId = (await RegistryPlaces.CitizenAsync(context, context.Dossier.ApplicantIdNumber, cancellationToken)).Id;
        }
    }

    private static RelationToHead RelationOf(RegistryEffectContext context, string idNumber)
        => idNumber == context.Dossier.ApplicantIdNumber
            ? RegistryPlaces.Relation(context.Form(ResidenceFormKeys.RelationToHead, ResidenceFormKeys.RelationshipToHouseholdHead))
            : RegistryPlaces.Relation(context.Details.People.FirstOrDefault(p => p.Person.IdNumber == idNumber)?.Relationship);

    private static async Task<(long Id, string HeadIdNumber, HouseholdRow? New)> HouseholdAsync(RegistryEffectContext context, RegistryPlace place, DateOnly from, CancellationToken cancellationToken)
    {
        if (context.Form(ResidenceFormKeys.HouseholdHeadIdNumber) is { } headIdNumber)
        {
            var head = await RegistryPlaces.CitizenAsync(context, headIdNumber, cancellationToken);
            if (head.HouseholdId is not { } existing || head.RelationToHead != RelationToHead.Head)
            {
                throw new RegistryEffectException($"{headIdNumber} heads no household");
            }

            return (existing, headIdNumber, null);
        }

        var household = new HouseholdRow { UnitId = place.UnitId, Address = place.Address, EstablishedOn = from };
        context.Db.Set<HouseholdRow>().Add(household);
        // The id is the database's: save now, inside the change's transaction.
        await context.Db.SaveChangesAsync(cancellationToken);
        return (household.Id, context.Dossier.ApplicantIdNumber, household);
    }
}

/// <summary>
/// Xóa đăng ký thường trú (BCA-L4-02), art. 24: the permanent residence ends on from_date (default:
/// the day of issue) and the person leaves their household. The citizens table has no way to say
/// "no permanent residence", so its permanent columns keep the last one; the closed residence record
/// is the registry's statement that it was deleted.
/// </summary>
public sealed class PermanentResidenceDeleted : IRegistryEffect
{
    public async Task ApplyAsync(RegistryEffectContext context, CancellationToken cancellationToken)
    {
        var on = context.Date(ResidenceFormKeys.FromDate) ?? context.Today;
        foreach (var idNumber in context.Subjects())
        {
            var citizen = await RegistryPlaces.CitizenAsync(context, idNumber, cancellationToken);
            var open = await Residences.OpenAsync(context, citizen.Id, ResidenceKind.Permanent, on, cancellationToken);
            if (open.Count == 0)
            {
                throw new RegistryEffectException($"{idNumber} has no permanent residence to delete");
            }

            foreach (var record in open)
            {
                record.ValidTo = on < record.ValidFrom ? record.ValidFrom : on;
            }

            await Residences.LeaveHouseholdAsync(context, citizen, cancellationToken);
        }
    }
}

/// <summary>The residence records and the citizen's current-state columns, as the effects change them.</summary>
internal static class Residences
{
    /// <summary>The citizen's records of a kind that are open on <paramref name="day"/> or later (no end, or an end not before it), oldest first.</summary>
    public static async Task<List<ResidenceRecordRow>> OpenAsync(RegistryEffectContext context, long citizenId, ResidenceKind kind, DateOnly day, CancellationToken cancellationToken)
        => await context.Db.Set<ResidenceRecordRow>()
            .Where(r => r.CitizenId == citizenId && r.Kind == kind && (r.ValidTo == null || r.ValidTo >= day))
            .OrderBy(r => r.ValidFrom).ThenBy(r => r.Id)
            .ToListAsync(cancellationToken);

    /// <summary>The end of a period that a new one starting on <paramref name="next"/> replaces (never before its own start).</summary>
    public static DateOnly DayBefore(DateOnly next, DateOnly start) => next.AddDays(-1) < start ? start : next.AddDays(-1);

    public static void LivesAt(CitizenRow citizen, int unitId, string address, int provinceId)
    {
        citizen.CurrentUnitId = unitId;
        citizen.CurrentAddress = address;
        citizen.CurrentProvinceId = provinceId;
    }

    /// <summary>Takes the citizen out of their household; a head leaving leaves the household without a head until the members name one.</summary>
    public static async Task LeaveHouseholdAsync(RegistryEffectContext context, CitizenRow citizen, CancellationToken cancellationToken)
    {
        if (citizen.HouseholdId is { } householdId && citizen.RelationToHead == RelationToHead.Head)
        {
            var household = await context.Db.Set<HouseholdRow>().FirstOrDefaultAsync(h => h.Id == householdId, cancellationToken);
            if (household is not null && household.HeadCitizenId == citizen.Id)
            {
                household.HeadCitizenId = null;
            }
        }

        citizen.HouseholdId = null;
        citizen.RelationToHead = null;
    }
}
