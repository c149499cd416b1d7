using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers.Processing.Registry;

/// <summary>
/// Điều chỉnh thông tin về cư trú (BCA-L4-07), Residence Law 2020 art. 26 cl. 1, for the two cases
/// the residence database itself holds:
/// <list type="bullet">
/// <item>a new head of household (point a): household_head_id_number, a member of the applicant's
/// household, heads it; every other member's relation to the new head must be declared among the
/// people concerned (CT01 item 11), since their relations to the old head no longer hold;</item>
/// <item>a renamed address (point c: a street, a numbering or a unit renamed, nobody moving): the
/// applicant's household and the open permanent residences of its members at that address take the
/// new wording; the commune, when given, must be the household's own unit today.</item>
/// </list>
/// Point b (civil-status details) is not offered: the registry's identity fields follow the
/// civil-status database, not a residence dossier.
/// </summary>
public sealed class ResidenceDataAdjusted : IRegistryEffect
{
    public const string NewHead = "Thay đổi chủ hộ";
    public const string RenamedAddress = "Thay đổi địa chỉ do điều chỉnh địa giới, tên đơn vị hành chính, tên đường, số nhà";

    public async Task ApplyAsync(RegistryEffectContext context, CancellationToken cancellationToken)
    {
        var applicant = await RegistryPlaces.CitizenAsync(context, context.Dossier.ApplicantIdNumber, cancellationToken);
        var household = applicant.HouseholdId is { } id
            ? await context.Db.Set<HouseholdRow>().FirstAsync(h => h.Id == id, cancellationToken)
            : throw new RegistryEffectException($"{applicant.IdNumber} belongs to no household");
        var members = await context.Db.Set<CitizenRow>().Where(c => c.HouseholdId == household.Id).ToListAsync(cancellationToken);
        switch (context.RequiredForm(ResidenceFormKeys.Adjustment))
        {
            case NewHead:
                ChangeHead(context, household, members);
                break;
            case RenamedAddress:
                await RenameAddressAsync(context, household, members, cancellationToken);
                break;
            default:
                throw new RegistryEffectException($"{ResidenceFormKeys.Adjustment} is not an adjustment the registry makes");
        }
    }

    private static void ChangeHead(RegistryEffectContext context, HouseholdRow household, List<CitizenRow> members)
    {
        var headIdNumber = context.RequiredForm(ResidenceFormKeys.HouseholdHeadIdNumber);
        var head = members.FirstOrDefault(c => c.IdNumber == headIdNumber)
            ?? throw new RegistryEffectException($"{headIdNumber} is not a member of the household");
        if (household.HeadCitizenId == head.Id)
        {
            throw new RegistryEffectException($"{headIdNumber} already heads the household");
        }

        foreach (var member in members.Where(c => c.Id != head.Id))
        {
            var declared = context.Details.People.FirstOrDefault(p => p.Person.IdNumber == member.IdNumber)?.Relationship;
            if (string.IsNullOrWhiteSpace(declared))
            {
                throw new RegistryEffectException($"the relation of {member.IdNumber} to the new head is not declared");
            }

            var relation = RegistryPlaces.Relation(declared);
            member.RelationToHead = relation == RelationToHead.Head
                ? throw new RegistryEffectException($"{member.IdNumber} is declared head beside {headIdNumber}")
                : relation;
        }

        head.RelationToHead = RelationToHead.Head;
        household.HeadCitizenId = head.Id;
    }

    private static async Task RenameAddressAsync(RegistryEffectContext context, HouseholdRow household, List<CitizenRow> members, CancellationToken cancellationToken)
    {
        var detail = context.RequiredForm(ResidenceFormKeys.AddressDetail);
        var householdCommune = await context.Db.Set<AdministrativeUnitRow>().Where(u => u.Id == household.UnitId).Select(u => u.Code).FirstAsync(cancellationToken);
        var communeCode = context.Form(ResidenceFormKeys.AddressCommuneCode) ?? householdCommune;
        var place = await RegistryPlaces.PlaceAsync(context, communeCode, detail, cancellationToken);
        // Both followed to today's unit: a commune merged in 2025 may be named by its old or its new code.
        if (communeCode != householdCommune && place.UnitId != (await RegistryPlaces.PlaceAsync(context, householdCommune, detail, cancellationToken)).UnitId)
        {
            throw new RegistryEffectException($"{communeCode} is not the household's commune: a move is a new registration, not an adjustment");
        }

        var (oldUnit, oldAddress) = (household.UnitId, household.Address);
        household.UnitId = place.UnitId;
        household.Address = place.Address;
        foreach (var member in members)
        {
            foreach (var record in await Residences.OpenAsync(context, member.Id, ResidenceKind.Permanent, context.Today, cancellationToken))
            {
                if (record.UnitId == oldUnit && record.Address == oldAddress)
                {
                    (record.UnitId, record.RegisteredUnitId, record.Address) = (place.UnitId, place.RegisteredUnitId, place.Address);
                }
            }

            if (member.PermanentUnitId == oldUnit && member.PermanentAddress == oldAddress)
            {
                (member.PermanentUnitId, member.PermanentAddress) = (place.UnitId, place.Address);
            }

            if (member.CurrentUnitId == oldUnit && member.CurrentAddress == oldAddress)
            {
                Residences.LivesAt(member, place.UnitId, place.Address, place.ProvinceId);
            }
        }
    }
}

/// <summary>
/// Khai báo thông tin về cư trú (BCA-L4-08), Residence Law 2020 art. 19 cl. 1: a person who can
/// register neither a permanent nor a temporary residence declares where they live now (nơi ở hiện
/// tại), which the registry records as their place of residence: each person named in the dossier
/// (a household declaring its members), or the applicant when nobody is. One who has a permanent or
/// temporary residence open today has a place of residence already: refused. People not yet in the
/// registry are added by the collection of their population data (DC01) the dossier starts, not here.
/// </summary>
public sealed class ResidenceDeclared : IRegistryEffect
{
    public async Task ApplyAsync(RegistryEffectContext context, CancellationToken cancellationToken)
    {
        var place = await RegistryPlaces.FormAddressAsync(context, cancellationToken);
        foreach (var idNumber in context.NamedOrApplicant().Where(n => !string.IsNullOrEmpty(n)))
        {
            if (await context.Db.Set<CitizenRow>().FirstOrDefaultAsync(c => c.IdNumber == idNumber, cancellationToken) is not { } citizen)
            {
                continue;
            }

            var today = context.Today;
            var open = await context.Db.Set<ResidenceRecordRow>()
                .Where(r => r.CitizenId == citizen.Id && (r.ValidTo == null || r.ValidTo >= today))
                .Select(r => (ResidenceKind?)r.Kind).FirstOrDefaultAsync(cancellationToken);
            if (open is { } kind)
            {
                throw new RegistryEffectException($"{idNumber} has a {(kind == ResidenceKind.Permanent ? "permanent" : "temporary")} residence; a residence declaration is for people who can register neither");
            }

            Residences.LivesAt(citizen, place.UnitId, place.Address, place.ProvinceId);
        }
    }
}
