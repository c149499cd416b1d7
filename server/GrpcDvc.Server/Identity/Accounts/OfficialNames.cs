using System.Text.RegularExpressions;

namespace GrpcDvc.Server.Identity.Accounts;

/// <summary>The shape of officials' login names and agency unit codes.</summary>
public static partial class OfficialNames
{
    public static string NormalizeUsername(string? username) => (username ?? "").Trim().ToLowerInvariant();

    /// <summary>3–64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter.</summary>
    public static bool IsValidUsername(string username) => UsernamePattern().IsMatch(username);

    /// <summary>1–32 characters: letters, digits, '.', '_' or '-' (e.g. "CAX-HN-BADINH").</summary>
    public static bool IsValidAgencyUnit(string? code) => code is not null && AgencyUnitPattern().IsMatch(code);

    // \z, not $: a $ also matches before a final line break, so "P34-01\n" passed as an agency unit code.
    [GeneratedRegex(@"^[a-z][a-z0-9._-]{2,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex UsernamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AgencyUnitPattern();
}
