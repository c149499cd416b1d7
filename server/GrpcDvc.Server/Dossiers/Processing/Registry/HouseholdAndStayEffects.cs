using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers.Processing.Registry;

/// <summary>
/// Tách hộ (BCA-L4-06), Residence Law 2020 art. 25: the people concerned (and the new head) leave
/// their household for a new one at the same legal residence, headed by new_head_id_number (default:
/// the applicant). Everyone moving must belong to one household, its head stays, and somebody stays
/// with them.
/// </summary>
public sealed class HouseholdSplit : IRegistryEffect
{
    public async Task ApplyAsync(RegistryEffectContext context, CancellationToken cancellationToken)
    {
        var headIdNumber = context.Form(ResidenceFormKeys.NewHeadIdNumber) ?? context.Dossier.ApplicantIdNumber;
        var moving = new List<CitizenRow>();
        foreach (var idNumber in context.Subjects().Append(headIdNumber).Distinct(StringComparer.Ordinal))
        {
            moving.Add(await RegistryPlaces.CitizenAsync(context, idNumber, cancellationToken));
        }

        var households = moving.Select(c => c.HouseholdId).Distinct().ToList();
        if (households is not [{ } oldId])
        {
            throw new RegistryEffectException("the people splitting off do not all belong to one household");
        }

        var old = await context.Db.Set<HouseholdRow>().FirstAsync(h => h.Id == oldId, cancellationToken);
        if (moving.Any(c => c.Id == old.HeadCitizenId))
        {
            throw new RegistryEffectException("the head of the household splits off; the household must name a new head first");
        }

        var movingIds = moving.Select(c => c.Id).ToList();
        if (!await context.Db.Set<CitizenRow>().AnyAsync(c => c.HouseholdId == oldId && !movingIds.Contains(c.Id), cancellationToken))
        {
            throw new RegistryEffectException("nobody would remain in the household");
        }

        var household = new HouseholdRow { UnitId = old.UnitId, Address = old.Address, EstablishedOn = context.Date(ResidenceFormKeys.FromDate) ?? context.Today };
        context.Db.Set<HouseholdRow>().Add(household);
        await context.Db.SaveChangesAsync(cancellationToken);
        foreach (var citizen in moving)
        {
            citizen.HouseholdId = household.Id;
            citizen.RelationToHead = citizen.IdNumber == headIdNumber
                ? RelationToHead.Head
                : RegistryPlaces.Relation(context.Details.People.FirstOrDefault(p => p.Person.IdNumber == citizen.IdNumber)?.Relationship);
        }

        household.HeadCitizenId = moving.Single(c => c.IdNumber == headIdNumber).Id;
    }
}

/// <summary>
/// Thông báo lưu trú (BCA-L4-10), art. 30: the host notifies the stay of the people concerned (the
/// applicant when nobody else is named) at the form's address, from from_date to to_date.
/// </summary>
public sealed class StayRecorded : IRegistryEffect
{
    public async Task ApplyAsync(RegistryEffectContext context, CancellationToken cancellationToken)
    {
        var place = await RegistryPlaces.FormAddressAsync(context, cancellationToken);
        var from = context.Date(ResidenceFormKeys.FromDate, ResidenceFormKeys.StayFrom) ?? context.Today;
        var to = context.Date(ResidenceFormKeys.ToDate, ResidenceFormKeys.StayTo);
        if (to is { } end && end < from)
        {
            throw new RegistryEffectException("to_date is before from_date");
        }

        var guests = context.NamedOrApplicant();
        foreach (var idNumber in guests)
        {
            var citizen = await RegistryPlaces.CitizenAsync(context, idNumber, cancellationToken);
            context.Db.Set<StayRecordRow>().Add(new StayRecordRow
            {
                CitizenId = citizen.Id, IdNumber = idNumber, UnitId = place.UnitId, Address = place.Address,
                FromDate = from, ToDate = to, DossierId = context.Dossier.Id, RecordedAt = context.Now,
            });
        }
    }
}

/// <summary>
/// Khai báo tạm vắng (BCA-L4-11), art. 31: the applicant and the people concerned are absent from
/// from_date to to_date, gone to the form's address (its commune when in Vietnam).
/// </summary>
public sealed class AbsenceRecorded : IRegistryEffect
{
    public async Task ApplyAsync(RegistryEffectContext context, CancellationToken cancellationToken)
    {
        var from = context.Date(ResidenceFormKeys.FromDate, ResidenceFormKeys.AbsenceFrom) ?? context.Today;
        var to = context.Date(ResidenceFormKeys.ToDate, ResidenceFormKeys.AbsenceTo) ?? throw new RegistryEffectException("the form gives no absence_to for the absence");
        if (to < from)
        {
            throw new RegistryEffectException("to_date is before from_date");
        }

        var destination = context.RequiredForm(ResidenceFormKeys.Destination, ResidenceFormKeys.AddressDetail);
        int? destinationUnit = context.Form(ResidenceFormKeys.AddressCommuneCode) is { } commune
            ? (await RegistryPlaces.PlaceAsync(context, commune, destination, cancellationToken)).UnitId
            : null;
        var reason = context.Form(ResidenceFormKeys.AbsenceFormReason, ResidenceFormKeys.AbsenceReason);
        foreach (var idNumber in context.Subjects())
        {
            var citizen = await RegistryPlaces.CitizenAsync(context, idNumber, cancellationToken);
            context.Db.Set<TemporaryAbsenceRow>().Add(new TemporaryAbsenceRow
            {
                CitizenId = citizen.Id, IdNumber = idNumber, FromDate = from, ToDate = to, DestinationUnitId = destinationUnit,
                Destination = destination, Reason = reason is { Length: > 500 } ? reason[..500] : reason, DossierId = context.Dossier.Id, RecordedAt = context.Now,
            });
        }
    }
}
