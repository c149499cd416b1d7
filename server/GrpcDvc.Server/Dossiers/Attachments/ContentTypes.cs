namespace GrpcDvc.Server.Dossiers.Attachments;

/// <summary>
/// The file types a dossier accepts, told apart by their first bytes (magic numbers), never by the
/// client's word or the file name: PDF "%PDF-", JPEG FF D8 FF, PNG 89 50 4E 47 0D 0A 1A 0A.
/// </summary>
public static class ContentTypes
{
    public const string Pdf = "application/pdf";
    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";

    /// <summary>The bytes needed to tell every accepted type (PNG's signature is the longest).</summary>
    public const int SniffLength = 8;

    public static IReadOnlyList<string> Accepted { get; } = [Pdf, Jpeg, Png];

    private static ReadOnlySpan<byte> PdfMagic => "%PDF-"u8;

    private static ReadOnlySpan<byte> JpegMagic => [0xFF, 0xD8, 0xFF];

    private static ReadOnlySpan<byte> PngMagic => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The accepted type the bytes begin with, or null.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
        => head.StartsWith(PdfMagic) ? Pdf
            : head.StartsWith(JpegMagic) ? Jpeg
            : head.StartsWith(PngMagic) ? Png
            : null;

    /// <summary>
    /// True when no accepted type can begin with <paramref name="head"/> however the file goes on: an upload
    /// is refused at its first bytes instead of after all of them.
    /// </summary>
    public static bool CannotBeAccepted(ReadOnlySpan<byte> head)
        => !IsPrefix(head, PdfMagic) && !IsPrefix(head, JpegMagic) && !IsPrefix(head, PngMagic);

    private static bool IsPrefix(ReadOnlySpan<byte> head, ReadOnlySpan<byte> magic)
        => head.Length <= magic.Length ? magic.StartsWith(head) : head.StartsWith(magic);
}
