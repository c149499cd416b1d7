using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Registry;
using GrpcDvc.Server.Text;
using ProtoPopulation = GrpcDvc.Contracts.Population.V1;

namespace GrpcDvc.Server.Dossiers.Submission;

/// <summary>
/// A person declared in a dossier (the applicant, a person concerned): who they are must be stated
/// in full (ID number, name, birth date, gender), the rest is optional and checked for form. The
/// registry check later compares every declared field with the record.
/// </summary>
public static class DeclarationRules
{
    public const int MaxNameLength = 200;
    public const int MaxCommuneCodeLength = 32;

    /// <summary>The declared person, or null when a violation (added under <paramref name="prefix"/>) makes it unusable.</summary>
    public static Declared? Read(List<FieldViolation> violations, ProtoPopulation.Declaration? declaration, string prefix)
    {
        if (declaration is null)
        {
            violations.Add(new FieldViolation(prefix.TrimEnd('.'), "The person's declaration is required.", "REQUIRED"));
            return null;
        }

        var before = violations.Count;
        BirthDate? birthDate = null;
        if (declaration.BirthDate is not { Year: not 0 } date)
        {
            violations.Add(new FieldViolation(prefix + "birth_date", "The birth date (at least the year) is required.", "REQUIRED"));
        }
        else if (BirthDate.TryCreate(date.Year, date.Month == 0 ? null : date.Month, date.Day == 0 ? null : date.Day, out var parsed, out var error))
        {
            birthDate = parsed;
        }
        else
        {
            violations.Add(new FieldViolation(prefix + "birth_date", error, "INVALID_DATE"));
        }

        Gender? gender = declaration.Gender switch
        {
            ProtoPopulation.Gender.Male => Gender.Male,
            ProtoPopulation.Gender.Female => Gender.Female,
            _ => null,
        };
        if (gender is null)
        {
            violations.Add(new FieldViolation(prefix + "gender", "The gender is required.", "REQUIRED"));
        }

        violations.AddRange(PersonalIdNumber.Validate(declaration.IdNumber, birthDate, gender, prefix + "id_number"));
        var name = Blank(declaration.FullName);
        if (name is null)
        {
            violations.Add(new FieldViolation(prefix + "full_name", "The full name is required.", "REQUIRED"));
        }
        else if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            violations.Add(new FieldViolation(prefix + "full_name", $"At most {MaxNameLength} characters, no control characters.", "NAME_INVALID"));
        }

        var commune = Blank(declaration.PermanentResidenceCommuneCode);
        if (commune is not null && (commune.Length > MaxCommuneCodeLength || !commune.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')))
        {
            violations.Add(new FieldViolation(prefix + "permanent_residence_commune_code", "Not an administrative unit code.", "UNIT_CODE_INVALID"));
        }

        var father = Blank(declaration.FatherIdNumber);
        if (father is not null)
        {
            violations.AddRange(PersonalIdNumber.Validate(father, null, null, prefix + "father_id_number"));
        }

        var mother = Blank(declaration.MotherIdNumber);
        if (mother is not null)
        {
            violations.AddRange(PersonalIdNumber.Validate(mother, null, null, prefix + "mother_id_number"));
        }

        var phone = Blank(declaration.Phone);
        string? e164 = null;
        if (phone is not null && !MobileNumber.TryNormalize(phone, out e164))
        {
            violations.Add(new FieldViolation(prefix + "phone", "Not a Vietnamese mobile number (0xxxxxxxxx or +84xxxxxxxxx).", "PHONE_INVALID"));
        }

        if (violations.Count > before)
        {
            return null;
        }

        var person = new DeclaredPerson(declaration.IdNumber, name!, birthDate!.Value.Year, birthDate.Value.Month ?? 0, birthDate.Value.Day ?? 0,
            gender == Gender.Female ? "female" : "male", commune, father, mother, e164);
        var data = new DeclaredData(declaration.IdNumber, name, birthDate, gender, commune, father, mother, e164);
        return new Declared(person, data);
    }

    public static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>A declaration as the dossier keeps it, and as the registry check compares it.</summary>
public sealed record Declared(DeclaredPerson Person, DeclaredData Data);
