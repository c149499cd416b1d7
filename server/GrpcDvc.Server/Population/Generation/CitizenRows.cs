using GrpcDvc.Server.Population.Persistence;

namespace GrpcDvc.Server.Population.Generation;

/// <summary>Turns a finished draft into the row stored in <c>citizens</c>.</summary>
internal static class CitizenRows
{
    public static CitizenRow From(PersonDraft draft, List<PersonDraft> household, CurrentResidence residence, long? householdId)
    {
        var plan = draft.Plan;
        return new CitizenRow
        {
            Id = draft.CitizenId,
            IdNumber = draft.IdNumber.Value,
            FullName = draft.FullName,
            FoldedName = draft.FoldedName,
            OtherNames = draft.OtherName,
            BirthYear = draft.BirthDate.Year,
            BirthMonth = draft.BirthDate.Month,
            BirthDay = draft.BirthDate.Day,
            Gender = plan.Gender,
            Ethnicity = draft.Ethnicity.Name,
            Religion = draft.Religion,
            Nationality = "VN",
            BirthRegistrationUnitId = draft.BirthProvince.Id,
            HometownUnitId = draft.Hometown.Id,
            PermanentUnitId = residence.PermanentUnitId,
            PermanentAddress = residence.PermanentAddress,
            TemporaryUnitId = residence.TemporaryUnitId,
            TemporaryAddress = residence.TemporaryAddress,
            CurrentUnitId = residence.CurrentUnitId,
            CurrentAddress = residence.CurrentAddress,
            CurrentProvinceId = residence.ProvinceId,
            HouseholdId = householdId,
            RelationToHead = plan.Relation,
            FatherIdNumber = plan.Father is { } f ? household[f].IdNumber.Value : null,
            MotherIdNumber = plan.Mother is { } m ? household[m].IdNumber.Value : null,
            SpouseIdNumber = plan.Spouse is { } s ? household[s].IdNumber.Value : null,
            Phone = draft.Phone,
            Status = draft.IsLiving ? CitizenStatus.Living : CitizenStatus.Deceased,
            DiedOn = plan.DiedOn,
        };
    }
}
