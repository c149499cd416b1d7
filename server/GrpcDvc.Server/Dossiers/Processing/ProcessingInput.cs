using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Dossiers.Processing;

/// <summary>What every change request carries: its id (idempotency), the dossier, the version seen (0: the current one).</summary>
public sealed record ChangeTarget(string RequestId, string Code, long ExpectedVersion);

/// <summary>
/// The input rules of the processing rpcs, each broken rule one field violation. The bounds fit the
/// columns (dossier_events.reason 2,000, documents 8,000 as JSON) and what a person writes.
/// </summary>
public static partial class ProcessingInput
{
    public const int MaxReasonLength = 2000;
    public const int MaxDocuments = 20;
    public const int MaxDocumentNameLength = 200;
    public const int MaxDocumentNumberLength = 64;
    public const int MaxCodeLength = 64;
    public const int MaxAttachments = 30;
    public const int MaxFormKeys = 50;
    public const int MaxFormKeyLength = 64;
    public const int MaxFormValueLength = 2000;

    public static ChangeTarget Target(string requestId, string code, long expectedVersion, List<FieldViolation> violations)
    {
        if (requestId.Length == 0)
        {
            violations.Add(new FieldViolation("request_id", "Required: a UUID the client makes up for this change and sends again on a retry.", "REQUIRED"));
        }
        else if (requestId.Length != 36 || !Guid.TryParseExact(requestId, "D", out _))
        {
            violations.Add(new FieldViolation("request_id", "Must be a UUID (8-4-4-4-12 hex digits).", "REQUEST_ID_INVALID"));
        }

        if (code.Length == 0)
        {
            violations.Add(new FieldViolation("code", "Required: the dossier code.", "REQUIRED"));
        }
        else if (!IsDossierCode(code))
        {
            violations.Add(new FieldViolation("code", "Not a dossier code (unit code-YYMMDD-NNNN, four digits or more).", "CODE_INVALID"));
        }

        if (expectedVersion < 0)
        {
            violations.Add(new FieldViolation("expected_version", "The version seen (1 or more), or 0 for the current one.", "OUT_OF_RANGE"));
        }

        return new ChangeTarget(requestId.ToLowerInvariant(), code, expectedVersion);
    }

    public static bool IsDossierCode(string code) => code.Length <= MaxCodeLength && DossierCode().IsMatch(code);

    /// <summary>A reason: required or not, at most <see cref="MaxReasonLength"/> characters, no control characters but line breaks.</summary>
    public static string? Reason(string value, string field, bool required, List<FieldViolation> violations)
    {
        var text = value.Trim();
        if (text.Length == 0)
        {
            if (required)
            {
                violations.Add(new FieldViolation(field, "Required: state the specific reason.", "REQUIRED"));
            }

            return null;
        }

        Text(text, field, MaxReasonLength, violations);
        return text;
    }

    /// <summary>The documents the citizen is to add: 1 to <see cref="MaxDocuments"/> names, each at most <see cref="MaxDocumentNameLength"/> characters.</summary>
    public static IReadOnlyList<string> Documents(IReadOnlyList<string> values, string field, List<FieldViolation> violations)
    {
        if (values.Count == 0)
        {
            violations.Add(new FieldViolation(field, "Name at least one document the citizen is to add.", "REQUIRED"));
            return [];
        }

        if (values.Count > MaxDocuments)
        {
            violations.Add(new FieldViolation(field, $"At most {MaxDocuments} documents.", "TOO_MANY"));
            return [];
        }

        var names = new List<string>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var name = values[i].Trim();
            if (name.Length == 0)
            {
                violations.Add(new FieldViolation($"{field}[{i}]", "A document's name is required.", "REQUIRED"));
                continue;
            }

            if (name.Contains('\n', StringComparison.Ordinal))
            {
                violations.Add(new FieldViolation($"{field}[{i}]", "A document's name is one line.", "INVALID_CHARACTERS"));
                continue;
            }

            Text(name, $"{field}[{i}]", MaxDocumentNameLength, violations);
            names.Add(name);
        }

        return names;
    }

    public static void Text(string value, string field, int maxLength, List<FieldViolation> violations)
    {
        if (value.Length > maxLength)
        {
            violations.Add(new FieldViolation(field, $"At most {maxLength} characters.", "TOO_LONG"));
        }
        else if (value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t') || value.Any(char.IsSurrogate) && !IsWellFormed(value))
        {
            violations.Add(new FieldViolation(field, "Contains control characters or broken Unicode.", "INVALID_CHARACTERS"));
        }
    }

    /// <summary>An appointment: a valid instant, not in the past, within a year.</summary>
    public static DateTimeOffset? Appointment(Timestamp? value, DateTimeOffset now, List<FieldViolation> violations)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Nanos is < 0 or > 999_999_999 || value.Seconds < Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch).Seconds
            || value.Seconds > Timestamp.FromDateTimeOffset(new DateTimeOffset(2195, 1, 1, 0, 0, 0, TimeSpan.Zero)).Seconds)
        {
            violations.Add(new FieldViolation("appointment_at", "Not a valid time.", "INVALID"));
            return null;
        }

        var at = value.ToDateTimeOffset();
        if (at < now - TimeSpan.FromMinutes(5) || at > now.AddDays(366))
        {
            violations.Add(new FieldViolation("appointment_at", "Must lie between now and a year ahead.", "OUT_OF_RANGE"));
            return null;
        }

        return at;
    }

    public static void ThrowIfAny(List<FieldViolation> violations, string what)
    {
        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument($"The {what} request is invalid.", [.. violations]);
        }
    }

    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    // Circular 01/2018/TT-VPCP art. 19: the unit's code (letters, digits, dots, dashes), the day YYMMDD, a 4-digit sequence.
    // \z, not $: $ also matches before a final line break.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.\-]{0,40}-[0-9]{6}-[0-9]{4,10}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DossierCode();
}
