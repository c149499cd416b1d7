namespace GrpcDvc.Server.Text;

/// <summary>
/// Bounds on the free text a caller searches with. Each word becomes one condition of the query, so
/// an unbounded text is an unbounded query: a few thousand words overflowed the stack of EF Core's
/// query compiler and took the whole server down (found by the bad-input campaign), and SQLite
/// refuses expressions deeper than 1,000 terms anyway. The bounds are far above any real name or
/// procedure title.
/// </summary>
public static class SearchText
{
    public const int MaxLength = 256;
    public const int MaxWords = 20;

    public const string TooLongReason = "SEARCH_TEXT_TOO_LONG";

    /// <summary>Why <paramref name="text"/> cannot be searched for, or null when it can.</summary>
    public static string? Problem(string text)
    {
        if (text.Length > MaxLength)
        {
            return $"Search with at most {MaxLength} characters.";
        }

        return VietnameseText.Words(text).Count > MaxWords ? $"Search with at most {MaxWords} words." : null;
    }
}
