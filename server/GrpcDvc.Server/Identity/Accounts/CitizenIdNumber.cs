using GrpcDvc.Server.Population;

namespace GrpcDvc.Server.Identity.Accounts;

/// <summary>
/// The personal identification number (số định danh cá nhân) a citizen signs in with, judged by the
/// population domain's own rules (<see cref="PersonalIdNumber"/>), so identity never accepts a number
/// the registry would call malformed.
/// </summary>
public static class CitizenIdNumber
{
    public const int Length = PersonalIdNumber.Length;

    /// <summary>Well formed: 12 digits that start with a known province code.</summary>
    public static bool IsValid(string? value) => PersonalIdNumber.TryParse(value, out _, out _);

    /// <summary>
    /// Why a number is refused, or null: malformed numbers keep the one reason portals know
    /// (ID_NUMBER_INVALID); a number that contradicts the stated birth date names the rule it breaks.
    /// </summary>
    public static IdentityFailure? Check(string? value, BirthDate? birthDate = null)
    {
        if (!PersonalIdNumber.TryParse(value, out var number, out var malformed))
        {
            return IdentityFailure.Invalid(IdentityReasons.IdNumberInvalid, "id_number", malformed.Description);
        }

        // Without a gender only the century and the birth-year digits can be held against the date.
        return birthDate is { } date && number.CheckAgainst(date, null) is [var misfit, ..]
            ? IdentityFailure.Invalid(misfit.Reason, "id_number", misfit.Description)
            : null;
    }

    /// <summary>As <see cref="Check(string?, BirthDate?)"/> for a full date; a date no registry can hold is refused as such.</summary>
    public static IdentityFailure? Check(string? value, DateOnly birthDate)
        => BirthDate.TryCreate(birthDate.Year, birthDate.Month, birthDate.Day, out var date, out var error)
            ? Check(value, date)
            : Check(value) ?? IdentityFailure.Invalid(IdentityReasons.BirthDateInvalid, "birth_date", error);
}
