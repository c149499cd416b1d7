using System.Globalization;
using System.Text;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Dossiers.Attachments;

/// <summary>An upload's header once checked: the names cleaned, the hash in lowercase.</summary>
public sealed record UploadHeader(string RequestId, string FileName, string DeclaredType, long Size, string Sha256, string DocumentName)
{
    public const int MaxRequestIdLength = 64;
    public const int MaxFileNameLength = 255;
    public const int MaxDocumentNameLength = 200;

    /// <summary>The header checked against the contract and the limits; every problem is one field violation.</summary>
    public static (UploadHeader? Header, IReadOnlyList<FieldViolation> Problems) Check(AttachmentHeader header, long maxFileBytes)
    {
        var problems = new List<FieldViolation>();
        var requestId = header.RequestId;
        if (requestId.Length is 0 or > MaxRequestIdLength || !requestId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
        {
            problems.Add(new("header.request_id", $"Required: 1 to {MaxRequestIdLength} letters, digits, '-', '_', '.' or ':' (a UUID is best).", "REQUEST_ID_INVALID"));
        }

        var fileName = CleanFileName(header.FileName);
        if (fileName is null)
        {
            problems.Add(new("header.file_name", "Required: the file's name, without folders (not '.' or '..').", "FILE_NAME_INVALID"));
        }
        else if (fileName.Length > MaxFileNameLength)
        {
            problems.Add(new("header.file_name", $"At most {MaxFileNameLength} characters.", "FILE_NAME_TOO_LONG"));
        }

        var declared = header.ContentType.Trim().ToLowerInvariant();
        if (!ContentTypes.Accepted.Contains(declared))
        {
            problems.Add(new("header.content_type", $"Must be one of {string.Join(", ", ContentTypes.Accepted)}.", "CONTENT_TYPE_NOT_ACCEPTED"));
        }

        if (header.Size <= 0)
        {
            problems.Add(new("header.size", "The whole file's size in bytes (at least 1).", "SIZE_INVALID"));
        }
        else if (header.Size > maxFileBytes)
        {
            problems.Add(new("header.size", $"A file holds at most {maxFileBytes} bytes.", "FILE_TOO_LARGE"));
        }

        var sha256 = header.Sha256.ToLowerInvariant();
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            problems.Add(new("header.sha256", "The SHA-256 of the whole file: 64 hexadecimal digits.", "SHA256_INVALID"));
        }

        var documentName = CleanText(header.DocumentName);
        if (documentName.Length == 0)
        {
            problems.Add(new("header.document_name", "Required: which document of the dossier this is, as the catalog names it.", "DOCUMENT_NAME_REQUIRED"));
        }
        else if (documentName.Length > MaxDocumentNameLength)
        {
            problems.Add(new("header.document_name", $"At most {MaxDocumentNameLength} characters.", "DOCUMENT_NAME_TOO_LONG"));
        }

        return problems.Count > 0
            ? (null, problems)
            : (new UploadHeader(requestId, fileName!, declared, header.Size, sha256, documentName), []);
    }

    /// <summary>
    /// The last segment of what a client calls the name (browsers send "C:\fakepath\x.pdf"), without control or
    /// format characters (a right-to-left override can disguise "gpj.exe" as "exe.jpg"), in NFC; null if nothing is left.
    /// </summary>
    public static string? CleanFileName(string name)
    {
        var last = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        var clean = CleanText(last);
        return clean is "" or "." or ".." ? null : clean;
    }

    private static string CleanText(string text)
    {
        var kept = new StringBuilder(Math.Min(text.Length, 1024));
        foreach (var c in text)
        {
            var category = char.GetUnicodeCategory(c);
            if (category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse))
            {
                kept.Append(c);
            }
        }

        var trimmed = kept.ToString().Trim();
        return trimmed.IsNormalized(NormalizationForm.FormC) ? trimmed : trimmed.Normalize(NormalizationForm.FormC);
    }
}
