using System.Globalization;

namespace GrpcDvc.Server.Population.Generation;

/// <summary>
/// Decides who each planned person is: where the birth was registered, ethnicity, religion,
/// name and ID number. Children take the father's surname (the mother's clan name among the
/// matrilineal Ê Đê and Gia Rai), the father's hometown and, mostly, the household's province
/// of birth registration.
/// </summary>
internal sealed class PersonFactory(PopulationRandom random, IdNumberAllocator ids, UnitDirectory units, DateOnly asOf)
{
    private static readonly DateOnly YoungerGeneration = new(1975, 1, 1);

    private static readonly WeightedTable<string> PhonePrefixes = new(
        [("09", 35), ("03", 25), ("08", 20), ("07", 15), ("05", 5)]);

    public List<PersonDraft> Create(List<PersonPlan> plan, HouseholdPlace place, ref long nextCitizenId)
    {
        var drafts = new List<PersonDraft>(plan.Count);
        var householdReligion = place.Home.Profile.Religions.Pick(random);
        for (var i = 0; i < plan.Count; i++)
        {
            var person = plan[i];
            var father = person.Father is { } f ? drafts[f] : null;
            var mother = person.Mother is { } m ? drafts[m] : null;
            var spouse = person.Spouse is { } s && s < i ? drafts[s] : null;
            var birthProvince = BirthProvince(person, father, place);
            var ethnicity = father?.Ethnicity ?? mother?.Ethnicity
                ?? (spouse is not null && random.Chance(0.85) ? spouse.Ethnicity : place.Home.Profile.Ethnicities.Pick(random));
            var (familyName, fullName, folded) = Name(person, ethnicity, father, mother, place.Home.Profile.Southern);
            var birthDate = Precision(person.Born);
            drafts.Add(new PersonDraft
            {
                Plan = person,
                CitizenId = nextCitizenId++,
                IdNumber = ids.Next(birthProvince.IdNumberCode, person.Born.Year, person.Gender),
                BirthDate = birthDate,
                BirthProvince = birthProvince,
                Hometown = father?.Hometown ?? (random.Chance(0.8) ? birthProvince : units.ByPopulation.Pick(random)),
                Ethnicity = ethnicity,
                Religion = Religion(ethnicity, householdReligion, place),
                FamilyName = familyName,
                FullName = fullName,
                FoldedName = folded,
                OtherName = random.Chance(0.004) ? VietnameseNames.OtherNames.Pick(random).Text : null,
                Phone = person.DiedOn is null && person.Born.AddYears(18) <= asOf && random.Chance(0.9) ? Phone() : null,
            });
        }

        return drafts;
    }

    private OldProvince BirthProvince(PersonPlan person, PersonDraft? father, HouseholdPlace place)
    {
        if (person.Relation is RelationToHead.Child or RelationToHead.Grandchild)
        {
            return random.Chance(0.92) ? place.Home : units.ByPopulation.Pick(random);
        }

        if (father is not null && random.Chance(0.7))
        {
            return father.BirthProvince;
        }

        return random.Chance(0.7) ? place.Home : units.ByPopulation.Pick(random);
    }

    private string Religion(Ethnicity ethnicity, string householdReligion, HouseholdPlace place)
    {
        if (ethnicity == Ethnicity.Khmer)
        {
            return RegionalProfile.KhmerReligions.Pick(random);
        }

        if (ethnicity.Style != NameStyle.Kinh)
        {
            return RegionalProfile.HighlandReligions.Pick(random);
        }

        return random.Chance(0.92) ? householdReligion : place.Home.Profile.Religions.Pick(random);
    }

    private (NamePart Family, string Full, string Folded) Name(PersonPlan person, Ethnicity ethnicity, PersonDraft? father, PersonDraft? mother, bool southern)
    {
        var male = person.Gender == Gender.Male;
        switch (ethnicity.Style)
        {
            case NameStyle.Highland:
            {
                // Matrilineal: the clan name comes from the mother.
                var clan = mother?.FamilyName ?? ethnicity.Surnames!.Pick(random);
                var given = (male ? VietnameseNames.HighlandMaleGiven : VietnameseNames.HighlandFemaleGiven).Pick(random);
                return male
                    ? (clan, $"{VietnameseNames.Y.Text} {given.Text} {clan.Text}", $"{VietnameseNames.Y.Folded} {given.Folded} {clan.Folded}")
                    : (clan, $"{VietnameseNames.HApostrophe.Text}{given.Text} {clan.Text}", $"{VietnameseNames.HApostrophe.Folded}{given.Folded} {clan.Folded}");
            }

            case NameStyle.Hmong:
            {
                var surname = father?.FamilyName ?? mother?.FamilyName ?? ethnicity.Surnames!.Pick(random);
                var middle = male ? VietnameseNames.A : VietnameseNames.Thi;
                var given = (male ? VietnameseNames.HmongMaleGiven : VietnameseNames.HmongFemaleGiven).Pick(random);
                return (surname, $"{surname.Text} {middle.Text} {given.Text}", $"{surname.Folded} {middle.Folded} {given.Folded}");
            }

            default:
            {
                var surname = father?.FamilyName ?? mother?.FamilyName ?? (ethnicity.Surnames
                    ?? (southern ? VietnameseNames.SouthernSurnames : VietnameseNames.NorthernSurnames)).Pick(random);
                var younger = person.Born >= YoungerGeneration;
                var middle = (male, younger) switch
                {
                    (true, false) => VietnameseNames.MaleMiddleOlder,
                    (true, true) => VietnameseNames.MaleMiddleYounger,
                    (false, false) => VietnameseNames.FemaleMiddleOlder,
                    _ => VietnameseNames.FemaleMiddleYounger,
                };
                var middleName = middle.Pick(random);
                var given = (male ? VietnameseNames.MaleGiven : VietnameseNames.FemaleGiven).Pick(random);
                return (surname, $"{surname.Text} {middleName.Text} {given.Text}", $"{surname.Folded} {middleName.Folded} {given.Folded}");
            }
        }
    }

    /// <summary>About 2% of records hold a partial birth date, mostly for people born long ago.</summary>
    private BirthDate Precision(DateOnly born)
    {
        var partialChance = born.Year switch
        {
            < 1950 => 0.25,
            < 1970 => 0.04,
            < 1990 => 0.01,
            _ => 0.002,
        };
        if (!random.Chance(partialChance))
        {
            return BirthDate.FromDate(born);
        }

        return random.Chance(0.75) ? BirthDate.YearOnly(born.Year) : BirthDate.MonthYear(born.Year, born.Month);
    }

    private string Phone()
        => string.Create(CultureInfo.InvariantCulture, $"{PhonePrefixes.Pick(random)}{random.Next(100_000_000):D8}");
}
