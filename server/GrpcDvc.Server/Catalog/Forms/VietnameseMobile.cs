namespace GrpcDvc.Server.Catalog.Forms;

/// <summary>
/// The mobile-number rule of citizen accounts (Identity/Accounts/MobileNumber), restated here
/// because the catalog sits below Identity: 0 or +84/84, then nine digits starting 3, 5, 7, 8 or 9;
/// spaces, dots and dashes between digits are allowed.
/// </summary>
internal static class VietnameseMobile
{
    public static bool IsValid(string input)
    {
        var digits = new string([.. input.Where(c => c is not (' ' or '.' or '-'))]);
        var national = digits switch
        {
            ['+', '8', '4', .. var rest] => rest,
            ['8', '4', .. var rest] when digits.Length == 11 => rest,
            ['0', .. var rest] => rest,
            _ => null,
        };
        return national is { Length: 9 } && national.All(char.IsAsciiDigit) && national[0] is '3' or '5' or '7' or '8' or '9';
    }
}
