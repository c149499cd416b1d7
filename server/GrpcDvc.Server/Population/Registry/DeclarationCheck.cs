using System.Text;

namespace GrpcDvc.Server.Population.Registry;

public enum CheckResult
{
    Match = 1,
    Mismatch = 2,

    /// <summary>The record holds no value for the field (or there is no record).</summary>
    Missing = 3,
}

/// <summary>What a person declares in a dossier; null fields are not checked.</summary>
public sealed record DeclaredData(
    string IdNumber,
    string? FullName,
    BirthDate? BirthDate,
    Gender? Gender,
    string? PermanentCommuneCode,
    string? FatherIdNumber,
    string? MotherIdNumber,
    string? Phone);

public sealed record FieldCheck(string Field, CheckResult Result);

/// <summary>
/// Declared data against the record, field by field. Names compare as written with diacritics
/// (Nguyễn and Nguyên are different people), ignoring case and extra spaces; a birth date
/// matches only with the same precision and parts, because the record is what the dossier must show.
/// </summary>
public static class DeclarationCheck
{
    public static IReadOnlyList<FieldCheck> Run(DeclaredData declared, CitizenRecord? record)
    {
        var checks = new List<FieldCheck> { new(CitizenFields.IdNumber, record is null ? CheckResult.Missing : CheckResult.Match) };
        var row = record?.Row;
        Add(checks, CitizenFields.FullName, declared.FullName, row?.FullName, (a, b) => NormalName(a) == NormalName(b));
        Add(checks, CitizenFields.BirthDate, declared.BirthDate, record?.BirthDate, (a, b) => a == b);
        Add(checks, CitizenFields.Gender, declared.Gender, row?.Gender, (a, b) => a == b);
        Add(checks, "permanent_residence_commune_code", declared.PermanentCommuneCode,
            record?.PermanentResidence.UnitCodes is { Count: > 0 } codes ? codes : null,
            (code, codes) => codes.Contains(code.Trim()));
        Add(checks, CitizenFields.FatherIdNumber, declared.FatherIdNumber, row?.FatherIdNumber, (a, b) => a.Trim() == b);
        Add(checks, CitizenFields.MotherIdNumber, declared.MotherIdNumber, row?.MotherIdNumber, (a, b) => a.Trim() == b);
        Add(checks, CitizenFields.Phone, declared.Phone, row?.Phone, (a, b) => Digits(a) == Digits(b));
        return checks;
    }

    private static void Add<TDeclared, TRecord>(List<FieldCheck> checks, string field, TDeclared? declared, TRecord? recorded, Func<TDeclared, TRecord, bool> same)
    {
        if (declared is null)
        {
            return;
        }

        checks.Add(new FieldCheck(field, recorded is null ? CheckResult.Missing : same(declared, recorded) ? CheckResult.Match : CheckResult.Mismatch));
    }

    private static string NormalName(string name)
        => string.Join(' ', name.Normalize(NormalizationForm.FormC).Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    // A phone declared as +84 912… or 0912… is the same number.
    private static string Digits(string phone)
    {
        var digits = new string([.. phone.Where(char.IsAsciiDigit)]);
        return digits.StartsWith("84", StringComparison.Ordinal) && digits.Length > 10 ? "0" + digits[2..] : digits;
    }
}
