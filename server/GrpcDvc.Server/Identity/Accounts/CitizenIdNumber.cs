namespace GrpcDvc.Server.Identity.Accounts;

/// <summary>The 12-digit personal identification number (số định danh cá nhân) on a CCCD card.</summary>
public static class CitizenIdNumber
{
    public const int Length = 12;

    public static bool IsValid(string? value)
        => value is { Length: Length } && value.All(char.IsAsciiDigit);
}
