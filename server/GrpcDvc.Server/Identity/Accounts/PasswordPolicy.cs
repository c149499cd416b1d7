namespace GrpcDvc.Server.Identity.Accounts;

/// <summary>
/// What a new password must be: 8 to 128 characters (the cap keeps PBKDF2 input bounded), not
/// digits only (a date or a phone number), not containing the holder's ID number, phone or login
/// name, and not one of the handful of passwords every guessing list starts with.
/// </summary>
public sealed class PasswordPolicy(IdentityOptions options)
{
    public const int MaximumLength = 128;

    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "password1", "password123", "matkhau", "matkhau123", "qwertyui", "qwerty123",
        "abc12345", "abcd1234", "iloveyou", "admin123", "12345678a", "a12345678", "vietnam1",
    };

    /// <param name="personal">The holder's own identifiers (ID number, phone, login name) the password must not contain.</param>
    public IdentityFailure? Check(string? password, params string?[] personal)
    {
        if (password is null || password.Length < options.Passwords.MinimumLength)
        {
            return Weak($"A password has at least {options.Passwords.MinimumLength} characters.");
        }

        if (password.Length > MaximumLength)
        {
            return Weak($"A password has at most {MaximumLength} characters.");
        }

        if (password.All(char.IsDigit))
        {
            return Weak("A password is not digits only.");
        }

        if (Common.Contains(password))
        {
            return Weak("This password is one of the first any attacker tries.");
        }

        foreach (var own in personal)
        {
            if (!string.IsNullOrEmpty(own) && own.Length >= 4 && password.Contains(Core(own), StringComparison.OrdinalIgnoreCase))
            {
                return Weak("A password does not contain your ID number, phone number or login name.");
            }
        }

        return null;
    }

    // A phone in E.164 (+84…) appears in passwords as its national digits.
    private static string Core(string own) => own.StartsWith("+84", StringComparison.Ordinal) ? own[3..] : own;

    private static IdentityFailure Weak(string message)
        => IdentityFailure.Invalid(IdentityReasons.PasswordTooWeak, "password", message);
}
