using System.Globalization;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Listing;

namespace GrpcDvc.Server.Population;

/// <summary>A validated page request: its size and the position (a row id or an offset) to continue after.</summary>
public sealed record PageCursorValue(int Size, long? After)
{
    public int Offset => (int)(After ?? 0);
}

/// <summary>
/// Page requests and page tokens of the registry and audit listings, on the catalog's token format
/// (a position bound to a fingerprint of the filter, so a token is refused with other filters).
/// </summary>
public static class Paging
{
    public static PageCursorValue Read(List<FieldViolation> violations, PageRequest? page, string fingerprint)
    {
        page ??= new PageRequest();
        PageSize.Check(violations, page.PageSize);

        long? after = null;
        if (!string.IsNullOrEmpty(page.PageToken))
        {
            if (PageToken.TryRead(page.PageToken, fingerprint) is { } text
                && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
            {
                after = position;
            }
            else
            {
                violations.Add(new FieldViolation("page.page_token", "Not a token this listing issued, or issued for other filters.", "INVALID_PAGE_TOKEN"));
            }
        }

        return new PageCursorValue(PageSize.Clamp(Math.Max(page.PageSize, 0)), after);
    }

    /// <summary>Page info for offset paging: the next token continues after the rows shown so far.</summary>
    public static PageInfo Info(int skip, int count, int total, string fingerprint)
        => new()
        {
            NextPageToken = skip + count < total && count > 0
                ? PageToken.Create((skip + count).ToString(CultureInfo.InvariantCulture), fingerprint)
                : string.Empty,
            TotalSize = total,
        };
}
