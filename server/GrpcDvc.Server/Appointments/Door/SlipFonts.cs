using PdfSharp.Fonts;

namespace GrpcDvc.Server.Appointments.Door;

/// <summary>
/// PDFsharp's fonts for the slip. PDFsharp 6 finds no system font on Linux by itself, so this resolver hands it
/// DejaVu Sans (regular and bold) from the font files Debian's fonts-dejavu-core installs (test.sh installs it when
/// missing); DejaVu covers every Vietnamese letter with its tone marks. PDFsharp takes one resolver per process, set
/// before its first font operation, hence the static instance installed once.
/// </summary>
public sealed class SlipFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    /// <summary>Where Debian (fonts-dejavu-core) and other distributions put the DejaVu files.</summary>
    private static readonly string[] Directories =
    [
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/dejavu",
        "/usr/share/fonts/TTF",
        "/usr/local/share/fonts",
    ];

    private const string Regular = "DejaVuSans.ttf";
    private const string Bold = "DejaVuSans-Bold.ttf";

    private static readonly Lock Gate = new();
    private static SlipFonts? _installed;

    private readonly Dictionary<string, byte[]> _faces;

    private SlipFonts(Dictionary<string, byte[]> faces) => _faces = faces;

    /// <summary>Installs the resolver once; false when the DejaVu files are nowhere to be found.</summary>
    public static bool EnsureInstalled()
    {
        lock (Gate)
        {
            if (_installed is not null)
            {
                return true;
            }

            var directory = Directories.FirstOrDefault(d => File.Exists(Path.Combine(d, Regular)) && File.Exists(Path.Combine(d, Bold)));
            if (directory is null)
            {
                return false;
            }

            _installed = new SlipFonts(new Dictionary<string, byte[]>(StringComparer.Ordinal)
            {
                [Regular] = File.ReadAllBytes(Path.Combine(directory, Regular)),
                [Bold] = File.ReadAllBytes(Path.Combine(directory, Bold)),
            });
            GlobalFontSettings.FontResolver = _installed;
            return true;
        }
    }

    // Every family asked for is DejaVu Sans: the slip names no other, and a stray default must not fail the slip.
    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
        => new(bold ? Bold : Regular, false, italic);

    public byte[]? GetFont(string faceName) => _faces.GetValueOrDefault(faceName);
}
