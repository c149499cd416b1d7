using GrpcDvc.Server.Population.Persistence;

namespace GrpcDvc.Server.Population.Generation;

/// <summary>A person's residences as the citizen row shows them today.</summary>
internal sealed record CurrentResidence(int PermanentUnitId, string PermanentAddress, int? TemporaryUnitId, string? TemporaryAddress, int ProvinceId)
{
    public int CurrentUnitId => TemporaryUnitId ?? PermanentUnitId;

    public string CurrentAddress => TemporaryAddress ?? PermanentAddress;
}

/// <summary>
/// Residence records with their periods. Each address is stored against today's commune and,
/// for registrations before 1/7/2025, against the (synthetic) district as it was then. People
/// who moved keep a closed record from their home province. About 6% of working-age adults hold
/// a temporary residence in a city or industrial province.
/// </summary>
internal sealed class ResidenceHistory(PopulationRandom random, UnitDirectory units, DateOnly asOf)
{
    private static readonly DateOnly MergerDay = new(2025, 7, 1);

    public CurrentResidence Add(PersonDraft person, HouseholdPlace place, List<ResidenceRecordRow> output, ref long nextId)
    {
        if (!person.IsLiving)
        {
            // A death deletes the permanent registration: one closed record in the province of birth.
            var (commune, district) = AnyUnitIn(person.BirthProvince);
            var address = Address(person.BirthProvince);
            output.Add(Record(ref nextId, person, ResidenceKind.Permanent, commune, district, address, person.Plan.Born, person.Plan.DiedOn));
            return new CurrentResidence(commune, address, null, null, person.BirthProvince.Successor.Id);
        }

        var from = person.Plan.Born > place.EstablishedOn ? person.Plan.Born : place.EstablishedOn;
        if (person.BirthProvince != place.Home && from > person.Plan.Born.AddDays(1))
        {
            var (oldCommune, oldDistrict) = AnyUnitIn(person.BirthProvince);
            output.Add(Record(ref nextId, person, ResidenceKind.Permanent, oldCommune, oldDistrict, Address(person.BirthProvince), person.Plan.Born, from.AddDays(-1)));
        }

        output.Add(Record(ref nextId, person, ResidenceKind.Permanent, place.CommuneId, place.DistrictId, place.Address, from, null));
        var age = person.AgeOn(asOf);
        if (age is >= 18 and <= 45 && random.Chance(0.06))
        {
            var target = units.MigrationTargetTable.Pick(random);
            if (target != place.Home)
            {
                var (commune, district) = AnyUnitIn(target);
                var address = Address(target);
                var start = asOf.AddDays(-random.Between(10, 700));
                // A temporary residence is registered for at most two years at a time (Residence Law 2020).
                output.Add(Record(ref nextId, person, ResidenceKind.Temporary, commune, district, address, start, start.AddYears(2)));
                return new CurrentResidence(place.CommuneId, place.Address, commune, address, target.Successor.Id);
            }
        }

        return new CurrentResidence(place.CommuneId, place.Address, null, null, place.Home.Successor.Id);
    }

    public (int Commune, int District) AnyUnitIn(OldProvince province)
        => (random.Pick(province.Successor.CommuneIds), random.Pick(province.DistrictIds));

    /// <summary>An address line inside a commune: street-style in the cities, village-style elsewhere. No real street is named.</summary>
    public string Address(OldProvince province)
        => province.IsCity
            ? $"Số {random.Between(1, 499)}, Tổ {random.Between(1, 60)}"
            : $"Thôn {random.Between(1, 25)}";

    private static ResidenceRecordRow Record(
        ref long nextId, PersonDraft person, ResidenceKind kind, int commune, int district, string address, DateOnly from, DateOnly? to)
        => new()
        {
            Id = nextId++,
            CitizenId = person.CitizenId,
            Kind = kind,
            UnitId = commune,
            RegisteredUnitId = from < MergerDay ? district : commune,
            Address = address,
            ValidFrom = from,
            ValidTo = to,
        };
}
