using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Text;

namespace GrpcDvc.Server.Identity.Registration;

/// <summary>Shape checks on registration details, before anything is looked up.</summary>
internal static class RegistrationInput
{
    private const int MaxNameLength = 200;

    public static IdentityFailure? Check(RegistrationDetails details, TimeProvider time)
    {
        if (CitizenIdNumber.Check(details.IdNumber?.Trim()) is { } malformed)
        {
            return malformed;
        }

        var name = details.FullName?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || !name.All(c => char.IsLetter(c) || c is ' ' || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark))
        {
            return IdentityFailure.Invalid(IdentityReasons.NameInvalid, "full_name", "The full name is letters and spaces, as on the ID card.");
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (details.BirthDate.EarliestDay > today || details.BirthDate.Year < 1900)
        {
            return IdentityFailure.Invalid(IdentityReasons.BirthDateInvalid, "birth_date", "The birth date is not plausible.");
        }

        // The number encodes the birth century and year: one that contradicts the date fits no registry record.
        if (CitizenIdNumber.Check(details.IdNumber!.Trim(), details.BirthDate) is { } misfit)
        {
            return misfit;
        }

        return MobileNumber.TryNormalize(details.Phone, out _)
            ? null
            : IdentityFailure.Invalid(IdentityReasons.PhoneInvalid, "phone", "A Vietnamese mobile number, e.g. 0912 345 678.");
    }

    /// <summary>The details as stored and compared: trimmed, single-spaced name, E.164 phone. Call after <see cref="Check"/>.</summary>
    public static (string IdNumber, string FullName, string Phone) Normalize(RegistrationDetails details)
    {
        MobileNumber.TryNormalize(details.Phone, out var phone);
        var name = string.Join(' ', details.FullName!.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return (details.IdNumber!.Trim(), name.Normalize(System.Text.NormalizationForm.FormC), phone);
    }
}
