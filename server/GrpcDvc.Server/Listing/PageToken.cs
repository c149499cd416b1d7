using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace GrpcDvc.Server.Listing;

/// <summary>
/// Opaque page tokens: the last code of the previous page plus a hash of the filter it was
/// made under. Keyset paging, so a page never shifts when entries are added before it.
/// </summary>
public static class PageToken
{
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

    private static string Hash(string value)
        => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)), 0, 6);
}
