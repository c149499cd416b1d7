using GrpcDvc.Server.Population.Registry;

namespace GrpcDvc.Tests.Population;

/// <summary>The purpose → fields table: each purpose reads only what its job needs.</summary>
public sealed class PurposeFieldsTests
{
    /// <summary>
    /// Every purpose's exact field list, written out: a field added to or dropped from a purpose in
    /// PurposeFields must be a decision made here too (data minimisation, Decree 13/2023).
    /// </summary>
    public static TheoryData<ReadPurpose, string[]> ExactFields => new()
    {
        {
            ReadPurpose.DossierProcessing,
            ["id_number", "full_name", "other_names", "birth_date", "gender", "ethnicity", "religion", "nationality", "hometown",
             "permanent_residence", "temporary_residence", "current_residence", "household_id", "relation_to_head", "phone", "status"]
        },
        { ReadPurpose.IdentityVerification, ["id_number", "full_name", "other_names", "birth_date", "gender", "nationality", "status"] },
        {
            ReadPurpose.CardIssuance,
            ["id_number", "full_name", "other_names", "birth_date", "gender", "ethnicity", "religion", "nationality", "birth_registration_place",
             "hometown", "permanent_residence", "current_residence", "father_id_number", "mother_id_number", "spouse_id_number", "status",
             "old_id_numbers", "documents"]
        },
        {
            ReadPurpose.ResidenceManagement,
            ["id_number", "full_name", "birth_date", "gender", "permanent_residence", "temporary_residence", "current_residence",
             "household_id", "relation_to_head", "status"]
        },
        { ReadPurpose.InformationExtraction, [.. CitizenFields.All] },
        { ReadPurpose.SelfService, [.. CitizenFields.All] },
        { ReadPurpose.Audit, ["id_number", "full_name", "birth_date", "gender", "permanent_residence", "father_id_number", "mother_id_number", "phone"] },
    };

    [Theory]
    [MemberData(nameof(ExactFields))]
    public void EveryPurpose_ReadsExactlyItsFieldList(ReadPurpose purpose, string[] fields)
        => Assert.Equal(fields, PurposeFields.For(purpose));

    [Fact]
    public void ExactFieldTable_CoversEveryPurpose()
        => Assert.Equal(Enum.GetValues<ReadPurpose>().Order(), ExactFields.Select(row => (ReadPurpose)row[0]).Order());

    [Fact]
    public void IdentityVerification_ReadsIdentityFieldsOnly_NoAddressesFamilyOrPhone()
        => Assert.Equal(["id_number", "full_name", "other_names", "birth_date", "gender", "nationality", "status"], PurposeFields.For(ReadPurpose.IdentityVerification));

    [Fact]
    public void ResidenceManagement_ReadsResidenceAndHousehold_NotCardsReligionOrPhone()
    {
        var fields = PurposeFields.For(ReadPurpose.ResidenceManagement);

        Assert.Contains("permanent_residence", fields);
        Assert.Contains("household_id", fields);
        Assert.DoesNotContain("documents", fields);
        Assert.DoesNotContain("religion", fields);
        Assert.DoesNotContain("phone", fields);
    }

    [Fact]
    public void CardIssuance_ReadsParentsSpouseAndEarlierCards_NotThePhone()
    {
        var fields = PurposeFields.For(ReadPurpose.CardIssuance);

        Assert.Contains("father_id_number", fields);
        Assert.Contains("old_id_numbers", fields);
        Assert.Contains("documents", fields);
        Assert.DoesNotContain("phone", fields);
    }

    [Fact]
    public void OnlyDossierProcessingAmongOfficialPurposes_ReadsThePhone()
        => Assert.Equal([ReadPurpose.DossierProcessing],
            Enum.GetValues<ReadPurpose>().Where(PurposeFields.AllowsLookup).Where(p => PurposeFields.For(p).Contains("phone")));

    [Fact]
    public void EveryPurposesFields_AreKnownFieldsInProtoOrder()
    {
        foreach (var purpose in Enum.GetValues<ReadPurpose>())
        {
            var fields = PurposeFields.For(purpose);
            Assert.All(fields, f => Assert.True(CitizenFields.IsKnown(f)));
            Assert.Equal(CitizenFields.InOrder(fields), fields);
        }
    }

    [Fact]
    public void Lookups_AcceptTheOfficialPurposes_NotExtractionOrSelfService()
    {
        Assert.False(PurposeFields.AllowsLookup(ReadPurpose.InformationExtraction));
        Assert.False(PurposeFields.AllowsLookup(ReadPurpose.SelfService));
        Assert.True(PurposeFields.AllowsLookup(ReadPurpose.CardIssuance));
    }
}

/// <summary>DC03 fees and CT07 validity.</summary>
public sealed class RegistryRulesTests
{
    [Theory]
    [InlineData(3, false, false, 3_000)]
    [InlineData(3, true, false, 0)]
    [InlineData(3, false, true, 0)]
    [InlineData(22, false, false, 22_000)]
    public void ExtractionFee_Is1000PerField_ExceptOwnDataAndStateBodies(int fields, bool own, bool stateBody, long vnd)
        => Assert.Equal(vnd, ExtractionFee.Vnd(fields, own, stateBody));

    [Fact]
    public void ResidenceConfirmation_IsValid30DaysFromTheDayOfIssueInVietnam()
        // 20:00 UTC on 31/1 is already 1/2 in Vietnam.
        => Assert.Equal(new DateOnly(2026, 3, 3), ResidenceConfirmation.ValidUntil(new DateTimeOffset(2026, 1, 31, 20, 0, 0, TimeSpan.Zero)));
}
