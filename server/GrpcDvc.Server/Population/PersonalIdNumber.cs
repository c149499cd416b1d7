using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Population;

/// <summary>
/// A personal identification number (số định danh cá nhân, also the CCCD / căn cước number):
/// 12 digits = 3 province of birth registration + 1 century/gender + 2 birth-year digits +
/// 6 random (Decree 137/2015 art. 13; Identity Law 2023 art. 12). The century/gender digit is
/// 0/1 for males/females born in the 1900s, 2/3 in the 2000s, … 8/9 in the 2300s.
/// A parsed value is well formed; whether it fits a person is <see cref="CheckAgainst"/>.
/// </summary>
public readonly record struct PersonalIdNumber
{
    public const int Length = 12;
    public const int FirstCentury = 1900;
    public const int LastYear = 2399;

    private PersonalIdNumber(string value) => Value = value;

    public string Value { get; }

    /// <summary>The province of birth registration (Circular 07/2016 code).</summary>
    public string ProvinceCode => Value[..3];

    public int CenturyGenderDigit => Value[3] - '0';

    public Gender Gender => CenturyGenderDigit % 2 == 0 ? Gender.Male : Gender.Female;

    /// <summary>The birth year the number encodes: century from digit 4, last two digits from digits 5–6.</summary>
    public int BirthYear => FirstCentury + (CenturyGenderDigit / 2 * 100) + ((Value[4] - '0') * 10) + (Value[5] - '0');

    /// <summary>The 6 random digits.</summary>
    public string Serial => Value[6..];

    /// <summary>The century/gender digit for a birth year and gender, or null when the year has none (before 1900, after 2399).</summary>
    public static int? CenturyGenderDigitFor(int birthYear, Gender gender)
        => birthYear is < FirstCentury or > LastYear ? null
            : ((birthYear - FirstCentury) / 100 * 2) + (gender == Gender.Female ? 1 : 0);

    /// <summary>Builds a number from its parts (the generator's way in); throws if a part is out of range.</summary>
    public static PersonalIdNumber Create(string provinceCode, int birthYear, Gender gender, int serial)
    {
        if (!IdProvinceCodes.IsKnown(provinceCode))
        {
            throw new ArgumentOutOfRangeException(nameof(provinceCode), provinceCode, "Not a Circular 07/2016 province code.");
        }

        var digit = CenturyGenderDigitFor(birthYear, gender)
            ?? throw new ArgumentOutOfRangeException(nameof(birthYear), birthYear, "No century/gender digit exists for this year.");
        ArgumentOutOfRangeException.ThrowIfNegative(serial);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(serial, 999_999);
        // Written digit by digit: the generator makes millions of these.
        return new PersonalIdNumber(string.Create(Length, (provinceCode, digit, birthYear % 100, serial), static (span, parts) =>
        {
            parts.provinceCode.AsSpan().CopyTo(span);
            span[3] = (char)('0' + parts.digit);
            span[4] = (char)('0' + (parts.Item3 / 10));
            span[5] = (char)('0' + (parts.Item3 % 10));
            var rest = parts.serial;
            for (var i = Length - 1; i >= 6; i--, rest /= 10)
            {
                span[i] = (char)('0' + (rest % 10));
            }
        }));
    }

    public static PersonalIdNumber Parse(string text)
        => TryParse(text, out var number, out var problem) ? number : throw new FormatException($"{problem.Reason}: {problem.Description}");

    /// <summary>Checks the form of a number: length, digits, province code. The first failed rule is reported.</summary>
    public static bool TryParse(string? text, out PersonalIdNumber number, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out IdNumberProblem? problem)
    {
        number = default;
        problem = text switch
        {
            null or { Length: not Length } => new IdNumberProblem(IdNumberReasons.Length,
                $"A personal ID number has {Length} digits; this one has {text?.Length ?? 0} characters."),
            _ when !text.All(char.IsAsciiDigit) => new IdNumberProblem(IdNumberReasons.Digits,
                "A personal ID number is made of digits only."),
            _ when !IdProvinceCodes.IsKnown(text.AsSpan(0, 3)) => new IdNumberProblem(IdNumberReasons.Province,
                $"'{text[..3]}' is not a province code of Circular 07/2016 (codes for births registered abroad are not known here)."),
            _ => null,
        };
        if (problem is not null)
        {
            return false;
        }

        number = new PersonalIdNumber(text!);
        return true;
    }

    /// <summary>The rules a well-formed number breaks for a person with this birth date and gender (either may be unknown).</summary>
    public IReadOnlyList<IdNumberProblem> CheckAgainst(BirthDate? birthDate, Gender? gender)
    {
        var problems = new List<IdNumberProblem>(2);
        var year = birthDate?.Year;
        var expectedDigit = year is { } y && gender is { } g ? CenturyGenderDigitFor(y, g) : null;
        if (year is < FirstCentury or > LastYear)
        {
            problems.Add(new IdNumberProblem(IdNumberReasons.CenturyGender,
                $"Birth year {year} has no century/gender digit (the scheme covers {FirstCentury}–{LastYear})."));
            return problems;
        }

        var centuryWrong = year is { } by && (by - FirstCentury) / 100 != CenturyGenderDigit / 2;
        var genderWrong = gender is { } gg && gg != Gender;
        if (centuryWrong || genderWrong)
        {
            var expected = expectedDigit is { } e ? $"; expected {e}" : string.Empty;
            problems.Add(new IdNumberProblem(IdNumberReasons.CenturyGender,
                $"Digit 4 is {CenturyGenderDigit}, which means {Gender.ToString().ToLowerInvariant()} born {FirstCentury + (CenturyGenderDigit / 2 * 100)}–{FirstCentury + (CenturyGenderDigit / 2 * 100) + 99}{expected}."));
        }

        if (year is { } yy && yy % 100 != BirthYear % 100)
        {
            problems.Add(new IdNumberProblem(IdNumberReasons.BirthYear,
                $"Digits 5–6 are {Value.Substring(4, 2)}, but the birth year {yy} ends in {yy % 100:D2}."));
        }

        return problems;
    }

    /// <summary>
    /// Every rule a submitted number breaks, as field violations on <paramref name="field"/>:
    /// form first (length, digits, province), then fit with the birth date and gender when given.
    /// </summary>
    public static IReadOnlyList<FieldViolation> Validate(string? value, BirthDate? birthDate, Gender? gender, string field)
    {
        if (!TryParse(value, out var number, out var problem))
        {
            return [new FieldViolation(field, problem.Description, problem.Reason)];
        }

        return [.. number.CheckAgainst(birthDate, gender).Select(p => new FieldViolation(field, p.Description, p.Reason))];
    }

    public override string ToString() => Value ?? string.Empty;
}
