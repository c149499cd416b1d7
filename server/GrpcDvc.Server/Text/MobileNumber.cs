namespace GrpcDvc.Server.Text;

/// <summary>Vietnamese mobile numbers, kept in E.164 (+84 and nine digits) so one subscriber has one spelling.</summary>
public static class MobileNumber
{
    /// <summary>Accepts 0xxxxxxxxx, 84xxxxxxxxx and +84xxxxxxxxx, with spaces, dots or dashes between digits.</summary>
    public static bool TryNormalize(string? input, out string e164)
    {
        e164 = "";
        if (string.IsNullOrWhiteSpace(input))
        {
            return false;
        }

        var digits = new string([.. input.Where(c => c is not (' ' or '.' or '-'))]);
        var national = digits switch
        {
            ['+', '8', '4', .. var rest] => rest,
            ['8', '4', .. var rest] when digits.Length == 11 => rest,
            ['0', .. var rest] => rest,
            _ => null,
        };

        // Mobile prefixes begin 3, 5, 7, 8 or 9 after the trunk 0; nine digits follow it.
        if (national is not { Length: 9 } || !national.All(char.IsAsciiDigit) || national[0] is not ('3' or '5' or '7' or '8' or '9'))
        {
            return false;
        }

        e164 = "+84" + national;
        return true;
    }
}
