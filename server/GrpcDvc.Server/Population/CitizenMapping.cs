using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Population.Registry;
using Proto = GrpcDvc.Contracts.Population.V1;

namespace GrpcDvc.Server.Population;

/// <summary>Registry records to contract messages; a citizen message carries only the fields asked for.</summary>
public static class CitizenMapping
{
    public static Proto.Citizen ToMessage(CitizenRecord record, IReadOnlyCollection<string> fields)
    {
        var row = record.Row;
        var message = new Proto.Citizen();
        foreach (var field in fields)
        {
            switch (field)
            {
                case CitizenFields.IdNumber: message.IdNumber = row.IdNumber; break;
                case CitizenFields.FullName: message.FullName = row.FullName; break;
                case CitizenFields.OtherNames: message.OtherNames.AddRange(OtherNames(row.OtherNames)); break;
                case CitizenFields.BirthDate: message.BirthDate = ToMessage(record.BirthDate); break;
                case CitizenFields.Gender: message.Gender = ToMessage(row.Gender); break;
                case CitizenFields.Ethnicity: message.Ethnicity = row.Ethnicity; break;
                case CitizenFields.Religion: message.Religion = row.Religion; break;
                case CitizenFields.Nationality: message.Nationality = row.Nationality; break;
                case CitizenFields.BirthRegistrationPlace: message.BirthRegistrationPlace = ToMessage(record.BirthRegistrationPlace); break;
                case CitizenFields.Hometown: message.Hometown = ToMessage(record.Hometown); break;
                case CitizenFields.PermanentResidence: message.PermanentResidence = ToMessage(record.PermanentResidence); break;
                case CitizenFields.TemporaryResidence: message.TemporaryResidence = record.TemporaryResidence is { } t ? ToMessage(t) : null; break;
                case CitizenFields.CurrentResidence: message.CurrentResidence = ToMessage(record.CurrentResidence); break;
                case CitizenFields.HouseholdId: message.HouseholdId = Text(row.HouseholdId); break;
                case CitizenFields.RelationToHead: message.RelationToHead = row.RelationToHead?.ToString() ?? string.Empty; break;
                case CitizenFields.FatherIdNumber: message.FatherIdNumber = row.FatherIdNumber ?? string.Empty; break;
                case CitizenFields.MotherIdNumber: message.MotherIdNumber = row.MotherIdNumber ?? string.Empty; break;
                case CitizenFields.SpouseIdNumber: message.SpouseIdNumber = row.SpouseIdNumber ?? string.Empty; break;
                case CitizenFields.Phone: message.Phone = row.Phone ?? string.Empty; break;
                case CitizenFields.Status: message.Status = row.Status == CitizenStatus.Deceased ? Proto.CitizenStatus.Deceased : Proto.CitizenStatus.Living; break;
                case CitizenFields.OldIdNumbers: message.OldIdNumbers.AddRange(record.OldIdNumbers); break;
                case CitizenFields.Documents: message.Documents.AddRange(record.Documents.Select(ToMessage)); break;
                default: break;
            }
        }

        return message;
    }

    public static Proto.PartialDate ToMessage(BirthDate date) => new()
    {
        Year = date.Year,
        Month = date.Month ?? 0,
        Day = date.Day ?? 0,
        Precision = date.Precision switch
        {
            BirthDatePrecision.Full => Proto.DatePrecision.Full,
            BirthDatePrecision.MonthYear => Proto.DatePrecision.MonthYear,
            _ => Proto.DatePrecision.Year,
        },
    };

    public static Proto.Gender ToMessage(Gender gender) => gender == Gender.Female ? Proto.Gender.Female : Proto.Gender.Male;

    public static Proto.Address ToMessage(Place place) => new()
    {
        CommuneCode = place.Commune?.Code ?? string.Empty,
        CommuneName = place.Commune?.Name ?? string.Empty,
        DistrictCode = place.District?.Code ?? string.Empty,
        DistrictName = place.District?.Name ?? string.Empty,
        ProvinceCode = place.Province?.Code ?? string.Empty,
        ProvinceName = place.Province?.Name ?? string.Empty,
        Detail = place.Detail,
        CurrentProvinceName = place.CurrentProvinceName ?? string.Empty,
        CurrentCommuneName = place.CurrentCommuneName ?? string.Empty,
    };

    public static Date ToMessage(DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };

    public static string Text(long? id) => id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;

    private static Proto.IdentityDocument ToMessage(IdentityDocumentRow document) => new()
    {
        Kind = document.Kind switch
        {
            IdentityDocumentKind.Cmnd9 => Proto.IdentityDocument.Types.Kind.Cmnd9,
            IdentityDocumentKind.Cmnd12 => Proto.IdentityDocument.Types.Kind.Cmnd12,
            IdentityDocumentKind.CanCuoc => Proto.IdentityDocument.Types.Kind.CanCuoc,
            _ => Proto.IdentityDocument.Types.Kind.Cccd,
        },
        Number = document.Number,
        IssuedOn = ToMessage(document.IssuedOn),
        ExpiresOn = document.ExpiresOn is { } expires ? ToMessage(expires) : null,
        Status = document.Status.ToString(),
    };

    // Other names are stored as one text, separated by semicolons.
    private static string[] OtherNames(string? text)
        => text?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
