using System.Globalization;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Listing;

namespace GrpcDvc.Server.Dossiers.Tracking;

/// <summary>
/// Where a page of dossiers ends, for keyset paging: the sort's instant (milliseconds; none for a
/// dossier without a due time) and the dossier code, unique, that breaks ties. Carried in the listings'
/// opaque page token (<see cref="PageToken"/>, bound to a fingerprint of the filters); read strictly,
/// so a forged or mangled position is refused rather than guessed at.
/// </summary>
public readonly record struct DossierPageKey(DateTimeOffset? At, string Code)
{
    private const char Separator = '|';
    private const string NoInstant = "-";
    private const int MaxCodeLength = 64;

    public static DossierPageKey After(DateTimeOffset? at, string code) => new(at, code);

    public string Token(string fingerprint)
        => PageToken.Create(
            (At is { } at ? at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : NoInstant) + Separator + Code, fingerprint);

    /// <summary>The page size and where to continue; adds the violations of a bad page request.</summary>
    public static (int Size, DossierPageKey? After) Read(List<FieldViolation> violations, PageRequest? page, string fingerprint)
    {
        page ??= new PageRequest();
        PageSize.Check(violations, page.PageSize);

        DossierPageKey? after = null;
        if (page.PageToken.Length > 0)
        {
            after = PageToken.TryRead(page.PageToken, fingerprint) is { } text ? Parse(text) : null;
            if (after is null)
            {
                violations.Add(new FieldViolation("page.page_token", "Not a token this listing issued, or issued for other filters.", "INVALID_PAGE_TOKEN"));
            }
        }

        return (PageSize.Clamp(Math.Max(page.PageSize, 0)), after);
    }

    private static DossierPageKey? Parse(string text)
    {
        var separator = text.IndexOf(Separator, StringComparison.Ordinal);
        if (separator <= 0)
        {
            return null;
        }

        var instant = text[..separator];
        var code = text[(separator + 1)..];
        if (code.Length is 0 or > MaxCodeLength || code.Any(char.IsControl))
        {
            return null;
        }

        if (instant == NoInstant)
        {
            return new DossierPageKey(null, code);
        }

        return PageToken.TryReadInstant(instant, out var at) ? new DossierPageKey(at, code) : null;
    }
}
