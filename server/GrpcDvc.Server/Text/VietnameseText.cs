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

    /// <summary>
    /// The words of a folded name as name search indexes them: runs of characters that are not ASCII
    /// punctuation, symbols, controls or space. ASCII letters and digits, and every character beyond
    /// ASCII, are word characters; this is the rule of SQLite FTS5's "ascii" tokenizer, and the
    /// PostgreSQL key function splits by the same rule, so a query word means the same on both.
    /// "H'Hen Niê" gives "h", "hen", "nie"; "nguyen*" gives "nguyen".
    /// </summary>
    public static IReadOnlyList<string> NameWords(string text)
    {
        var words = new List<string>();
        var folded = Fold(text);
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var inWord = i < folded.Length && IsNameWordChar(folded[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(folded[start..i]);
                start = -1;
            }
        }

        return words;
    }

    /// <summary>Whether <paramref name="c"/> belongs to a word for name search (see <see cref="NameWords"/>).</summary>
    public static bool IsNameWordChar(char c) => c > '\u007f' || char.IsAsciiLetterOrDigit(c);
}
