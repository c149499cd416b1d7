using GrpcDvc.Server.Population.Persistence;

namespace GrpcDvc.Server.Population.Generation;

/// <summary>
/// Generates a realistic, deterministic population of exactly <c>Count</c> citizens in
/// households, as a stream: one household at a time, so memory does not grow with the count
/// (only one counter per ID-number prefix is kept).
/// </summary>
public sealed class PopulationGenerator
{
    private const int MaxPlanAttempts = 50;

    private readonly AdministrativeUnitData _units;
    private readonly PopulationGeneratorOptions _options;

    public PopulationGenerator(AdministrativeUnitData units, PopulationGeneratorOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Count);
        _units = units;
        _options = options;
    }

    public PopulationGeneratorOptions Options => _options;

    /// <summary>The synthetic districts and communes the generated addresses point to.</summary>
    public IEnumerable<AdministrativeUnitRow> SyntheticUnits() => Generation.SyntheticUnits.Rows(_units);

    public IEnumerable<GeneratedHousehold> Generate(PopulationIdStart? start = null)
    {
        start ??= new PopulationIdStart();
        var asOf = _options.AsOf;
        var random = new PopulationRandom(_options.Seed);
        var ids = new IdNumberAllocator(start.Usage);
        var directory = UnitDirectory.Build(_units);
        var planner = new HouseholdPlanner(random, asOf);
        var people = new PersonFactory(random, ids, directory, asOf);
        var residences = new ResidenceHistory(random, directory, asOf);
        var documents = new DocumentHistory(random, ids, asOf);
        var (citizenId, householdId, documentId, residenceId) = (start.Citizen, start.Household, start.Document, start.Residence);
        var remaining = _options.Count;
        while (remaining > 0)
        {
            var plan = Fit(planner, remaining);
            remaining -= plan.Count;
            var place = Place(random, directory, plan, residences, asOf);
            var drafts = people.Create(plan, place, ref citizenId);
            var household = new HouseholdRow { Id = householdId++, UnitId = place.CommuneId, Address = place.Address, EstablishedOn = place.EstablishedOn };
            var citizens = new List<CitizenRow>(drafts.Count);
            var documentRows = new List<IdentityDocumentRow>(drafts.Count * 2);
            var residenceRows = new List<ResidenceRecordRow>(drafts.Count + 1);
            foreach (var draft in drafts)
            {
                var current = residences.Add(draft, place, residenceRows, ref residenceId);
                var cmndProvince = residenceRows.Any(r => r.CitizenId == draft.CitizenId && r.ValidTo is not null && r.Kind == ResidenceKind.Permanent)
                    ? draft.BirthProvince : place.Home;
                documents.Add(draft, cmndProvince, documentRows, ref documentId);
                citizens.Add(CitizenRows.From(draft, drafts, current, draft.Plan.IsMember ? household.Id : null));
                if (draft.Plan.Relation == RelationToHead.Head)
                {
                    household.HeadCitizenId = draft.CitizenId;
                }
            }

            yield return new GeneratedHousehold(household, citizens, documentRows, residenceRows);
        }
    }

    /// <summary>A plan no larger than what is left, so the population is exactly the count asked for.</summary>
    private static List<PersonPlan> Fit(HouseholdPlanner planner, int remaining)
    {
        for (var attempt = 0; attempt < MaxPlanAttempts; attempt++)
        {
            var plan = planner.Plan();
            if (plan.Count <= remaining)
            {
                return plan;
            }
        }

        var single = planner.Single();
        return single.Count <= remaining ? single : [.. single.Where(p => p.IsMember)];
    }

    private static HouseholdPlace Place(PopulationRandom random, UnitDirectory directory, List<PersonPlan> plan, ResidenceHistory residences, DateOnly asOf)
    {
        var home = directory.ByPopulation.Pick(random);
        var (commune, district) = residences.AnyUnitIn(home);
        var head = plan.First(p => p.Relation == RelationToHead.Head);
        // The household was registered when the head was 20–30, or at birth for a young head.
        var established = head.Born.AddYears(random.Between(20, 30)).AddDays(random.Next(365));
        if (established > asOf)
        {
            established = asOf.AddDays(-random.Next(365));
        }

        return new HouseholdPlace(home, commune, district, residences.Address(home), established < head.Born ? head.Born : established);
    }
}
