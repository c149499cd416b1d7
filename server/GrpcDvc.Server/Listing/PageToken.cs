using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GrpcDvc.Server.Listing;

/// <summary>
/// Opaque page tokens: the last code of the previous page plus a hash of the filter it was
/// made under. Keyset paging, so a page never shifts when entries are added before it.
/// </summary>
public static class PageToken
{
    private static readonly long MaxMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static string Create(string afterCode, string filterFingerprint)
        => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Hash(filterFingerprint)}:{afterCode}"));

    /// <summary>The code to continue after, or null when the token is malformed or made for another filter.</summary>
    public static string? TryRead(string token, string filterFingerprint)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || text[..colon] != Hash(filterFingerprint) || colon == text.Length - 1)
            {
                return null;
            }

            return text[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// An instant a token carries as Unix milliseconds. A token's content is readable and editable by whoever holds
    /// it (only its filter is hashed), so a number past DateTimeOffset's range is refused here, not thrown later.
    /// </summary>
    public static bool TryReadInstant(string text, out DateTimeOffset instant)
    {
        var ok = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= MaxMilliseconds;
        instant = ok ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : default;
        return ok;
    }

    private static string Hash(string value)
        => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)), 0, 6);
}
