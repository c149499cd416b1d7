namespace GrpcDvc.Server.Population.Generation;

/// <summary>
/// Plans households of realistic shapes and ages: singles, couples, parents with children,
/// three generations. The mix gives about 3.6 people per household; the 2019 census reports
/// about 3.5. Ages follow from the head's age and from mothers aged 19–40 at each birth, which
/// gives a pyramid that is wide in the middle and thin at the top.
/// </summary>
internal sealed class HouseholdPlanner(PopulationRandom random, DateOnly asOf)
{
    private static readonly DateOnly DeathsRecordedFrom = new(2016, 1, 1);

    private static readonly WeightedTable<HouseholdKind> Kinds = new(
    [
        (HouseholdKind.Single, 12), (HouseholdKind.Couple, 12), (HouseholdKind.Nuclear, 44),
        (HouseholdKind.SingleParent, 7), (HouseholdKind.WithHeadsParents, 12), (HouseholdKind.WithMarriedChild, 13),
    ]);

    private static readonly WeightedTable<(int Min, int Max)> SingleAges = new(
        [((18, 24), 15), ((25, 34), 25), ((35, 54), 20), ((55, 69), 15), ((70, 95), 25)]);

    private static readonly WeightedTable<(int Min, int Max)> NuclearHeadAges = new(
        [((25, 34), 30), ((35, 44), 32), ((45, 54), 25), ((55, 64), 13)]);

    private static readonly WeightedTable<int> ChildCounts = new([(1, 30), (2, 48), (3, 17), (4, 5)]);

    public List<PersonPlan> Plan() => Kinds.Pick(random) switch
    {
        HouseholdKind.Single => Single(),
        HouseholdKind.Couple => Couple(random.Chance(0.4) ? (22, 34) : (50, 85)),
        HouseholdKind.Nuclear => Nuclear(NuclearHeadAges.Pick(random), withHeadsParents: false),
        HouseholdKind.SingleParent => SingleParent(),
        HouseholdKind.WithHeadsParents => Nuclear((28, 50), withHeadsParents: true),
        _ => WithMarriedChild(),
    };

    /// <summary>A one-person household, always small enough to finish a population of exactly N.</summary>
    public List<PersonPlan> Single()
    {
        var (min, max) = SingleAges.Pick(random);
        var age = random.Between(min, max);
        var gender = random.Chance(age >= 70 ? 0.3 : 0.55) ? Gender.Male : Gender.Female;
        var born = BornAtAge(age);
        var plan = new List<PersonPlan>();
        AddDeceasedParents(plan, born, age);
        plan.Add(Link(new PersonPlan(RelationToHead.Head, gender, born), plan));
        return plan;
    }

    private List<PersonPlan> Couple((int Min, int Max) ages)
    {
        var plan = new List<PersonPlan>();
        var age = random.Between(ages.Min, ages.Max);
        AddHeadAndSpouse(plan, age);
        return plan;
    }

    private List<PersonPlan> Nuclear((int Min, int Max) ages, bool withHeadsParents)
    {
        var plan = new List<PersonPlan>();
        var age = random.Between(ages.Min, ages.Max);
        if (withHeadsParents)
        {
            AddLivingParents(plan, BornAtAge(age));
        }

        var (husband, wife) = AddHeadAndSpouse(plan, age);
        AddChildren(plan, husband, wife, ChildCounts.Pick(random), RelationToHead.Child);
        return plan;
    }

    private List<PersonPlan> SingleParent()
    {
        var plan = new List<PersonPlan>();
        var age = random.Between(25, 55);
        var gender = random.Chance(0.8) ? Gender.Female : Gender.Male;
        var born = BornAtAge(age);
        AddDeceasedParents(plan, born, age);
        var parent = plan.Count;
        plan.Add(Link(new PersonPlan(RelationToHead.Head, gender, born), plan));
        AddChildren(plan, gender == Gender.Male ? parent : null, gender == Gender.Female ? parent : null,
            random.Between(1, 2), RelationToHead.Child);
        return plan;
    }

    private List<PersonPlan> WithMarriedChild()
    {
        var plan = new List<PersonPlan>();
        var (husband, wife) = AddHeadAndSpouse(plan, random.Between(55, 80), femaleHeadChance: 0.15);
        var sonBorn = NoLaterThan(plan[wife].Born.AddYears(random.Between(20, 32)).AddDays(random.Next(365)), asOf.AddYears(-22));
        var son = plan.Count;
        plan.Add(new PersonPlan(RelationToHead.Child, Gender.Male, sonBorn) { Father = husband, Mother = wife });
        var daughterInLaw = plan.Count;
        var daughterInLawBorn = NoLaterThan(sonBorn.AddYears(random.Between(0, 5)).AddDays(random.Next(365)), asOf.AddYears(-19));
        plan.Add(new PersonPlan(RelationToHead.DaughterInLaw, Gender.Female, daughterInLawBorn) { Spouse = son });
        plan[son].Spouse = daughterInLaw;
        AddChildren(plan, son, daughterInLaw, random.Between(1, 3), RelationToHead.Grandchild);
        if (random.Chance(0.3))
        {
            AddChildren(plan, husband, wife, 1, RelationToHead.Child, firstAfter: sonBorn.AddYears(2));
        }

        return plan;
    }

    /// <summary>Adds head and spouse (the husband heads 80% of couples) and returns both indexes.</summary>
    private (int Husband, int Wife) AddHeadAndSpouse(List<PersonPlan> plan, int headAge, double femaleHeadChance = 0.2)
    {
        var husbandBorn = BornAtAge(headAge);
        var wifeBorn = husbandBorn.AddYears(random.Between(-2, 7)).AddDays(random.Next(365));
        if (wifeBorn > asOf.AddYears(-19))
        {
            wifeBorn = asOf.AddYears(-19).AddDays(-random.Next(365));
        }

        var femaleHead = random.Chance(femaleHeadChance);
        if (plan.Count == 0)
        {
            AddDeceasedParents(plan, femaleHead ? wifeBorn : husbandBorn, headAge);
        }

        var headsParents = plan.Count;
        var husband = plan.Count;
        plan.Add(new PersonPlan(femaleHead ? RelationToHead.Husband : RelationToHead.Head, Gender.Male, husbandBorn));
        var wife = plan.Count;
        plan.Add(new PersonPlan(femaleHead ? RelationToHead.Head : RelationToHead.Wife, Gender.Female, wifeBorn));
        plan[husband].Spouse = wife;
        plan[wife].Spouse = husband;
        Link(plan[femaleHead ? wife : husband], plan.GetRange(0, headsParents));
        return (husband, wife);
    }

    /// <summary>Children of a mother aged 19–40 at each birth, 1–6 years apart, born no later than today.</summary>
    private void AddChildren(List<PersonPlan> plan, int? father, int? mother, int count, RelationToHead relation, DateOnly? firstAfter = null)
    {
        var parentBorn = plan[(mother ?? father)!.Value].Born;
        var born = parentBorn.AddYears(random.Between(19, 30)).AddDays(random.Next(365));
        if (firstAfter is { } after && born < after)
        {
            born = after.AddDays(random.Next(730));
        }

        for (var i = 0; i < count && born <= asOf && born < parentBorn.AddYears(41); i++)
        {
            // Children past 35 have usually left to form their own households.
            if (born >= asOf.AddYears(-35))
            {
                var gender = random.Chance(0.512) ? Gender.Male : Gender.Female;
                plan.Add(new PersonPlan(relation, gender, born) { Father = father, Mother = mother });
            }

            born = born.AddYears(random.Between(1, 6)).AddDays(random.Next(365));
        }
    }

    /// <summary>The head's own parents living in the household (Cha, Mẹ).</summary>
    private void AddLivingParents(List<PersonPlan> plan, DateOnly headBorn)
    {
        var fatherBorn = headBorn.AddYears(-random.Between(24, 34)).AddDays(-random.Next(365));
        var motherBorn = fatherBorn.AddYears(random.Between(0, 6)).AddDays(random.Next(365));
        var both = random.Chance(0.6);
        var onlyMother = !both && random.Chance(0.75);
        int? father = null;
        if (both || !onlyMother)
        {
            father = plan.Count;
            plan.Add(new PersonPlan(RelationToHead.Father, Gender.Male, fatherBorn));
        }

        if (both || onlyMother)
        {
            plan.Add(new PersonPlan(RelationToHead.Mother, Gender.Female, motherBorn) { Spouse = father });
            if (father is { } f)
            {
                plan[f].Spouse = plan.Count - 1;
            }
        }
    }

    /// <summary>
    /// Deceased parents of an older head, who are on record but in no household. Only deaths
    /// since 2016 are generated, since the national database was built after that.
    /// </summary>
    private void AddDeceasedParents(List<PersonPlan> plan, DateOnly headBorn, int headAge)
    {
        if (headAge is < 40 or > 75)
        {
            return;
        }

        var fatherBorn = headBorn.AddYears(-random.Between(24, 34)).AddDays(-random.Next(365));
        var motherBorn = fatherBorn.AddYears(random.Between(0, 6)).AddDays(random.Next(365));
        if (random.Chance(0.05) && DiedOn(fatherBorn) is { } fatherDied)
        {
            plan.Add(new PersonPlan(null, Gender.Male, fatherBorn) { DiedOn = fatherDied });
        }

        if (random.Chance(0.025) && DiedOn(motherBorn) is { } motherDied)
        {
            plan.Add(new PersonPlan(null, Gender.Female, motherBorn) { DiedOn = motherDied });
        }
    }

    /// <summary>A day of death since 2016 and before the age of 100, or null when there is none.</summary>
    private DateOnly? DiedOn(DateOnly born)
    {
        var last = born.AddYears(100) < asOf ? born.AddYears(100) : asOf.AddDays(-1);
        return last < DeathsRecordedFrom ? null : random.DayBetween(DeathsRecordedFrom, last);
    }

    /// <summary>Points a head at the parents already in the plan (living Cha/Mẹ or deceased).</summary>
    private static PersonPlan Link(PersonPlan head, List<PersonPlan> before)
    {
        for (var i = 0; i < before.Count; i++)
        {
            if (before[i].Relation is RelationToHead.Father or null && before[i].Gender == Gender.Male)
            {
                head.Father = i;
            }
            else if (before[i].Relation is RelationToHead.Mother or null && before[i].Gender == Gender.Female)
            {
                head.Mother = i;
            }
        }

        return head;
    }

    private DateOnly NoLaterThan(DateOnly date, DateOnly latestAllowed)
        => date <= latestAllowed ? date : latestAllowed.AddDays(-random.Next(1500));

    private DateOnly BornAtAge(int age) => asOf.AddYears(-age - 1).AddDays(1 + random.Next(365));
}
