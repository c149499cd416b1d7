using System.Globalization;
using System.Text;

namespace GrpcDvc.Server.Text;

/// <summary>
/// Folds Vietnamese text for search: lower case, tone and vowel marks removed, đ → d, runs of
/// white space made one space. "Đăng ký  Tạm trú" and "dang ky tam tru" fold alike, so
/// people typing without a Vietnamese keyboard find what they mean.
/// </summary>
public static class VietnameseText
{
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c switch
            {
                'đ' or 'Đ' => 'd',
                _ => char.ToLowerInvariant(c),
            });
        }

        return builder.ToString();
    }

    /// <summary>The folded words of a query, each of which must appear in a match.</summary>
    public static IReadOnlyList<string> Words(string query)
        => Fold(query).Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
