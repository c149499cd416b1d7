using System.Diagnostics.CodeAnalysis;
using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Population;

/// <summary>
/// An old identity card (CMND) number: 9 digits, or 12 for the cards issued in the last years
/// of the CMND. All CMND cards are invalid since 31/12/2024, but citizens still ask to confirm an
/// old number against their current one, so the numbers stay searchable.
/// </summary>
public readonly record struct OldIdNumber
{
    private OldIdNumber(string value) => Value = value;

    public string Value { get; }

    public bool IsTwelveDigit => Value.Length == 12;

    public static OldIdNumber Parse(string text)
        => TryParse(text, out var number, out var problem) ? number : throw new FormatException($"{problem.Reason}: {problem.Description}");

    public static bool TryParse(string? text, out OldIdNumber number, [NotNullWhen(false)] out IdNumberProblem? problem)
    {
        number = default;
        problem = text switch
        {
            null or { Length: not (9 or 12) } => new IdNumberProblem(IdNumberReasons.OldLength,
                $"An old CMND number has 9 or 12 digits; this one has {text?.Length ?? 0} characters."),
            _ when !text.All(char.IsAsciiDigit) => new IdNumberProblem(IdNumberReasons.OldDigits, "An old CMND number is made of digits only."),
            _ => null,
        };
        if (problem is not null)
        {
            return false;
        }

        number = new OldIdNumber(text!);
        return true;
    }

    public static IReadOnlyList<FieldViolation> Validate(string? value, string field)
        => TryParse(value, out _, out var problem) ? [] : [new FieldViolation(field, problem.Description, problem.Reason)];

    public override string ToString() => Value ?? string.Empty;
}
