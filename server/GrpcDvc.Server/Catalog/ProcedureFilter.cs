using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Listing;

namespace GrpcDvc.Server.Catalog;

/// <summary>What a catalog listing asks for. Null filters match everything.</summary>
public sealed record ProcedureFilter(int? ServiceLevel, string? Field, string? AgencyLevel, IReadOnlyList<string> Words)
{
    public static readonly IReadOnlySet<string> Fields = new HashSet<string>(StringComparer.Ordinal)
    {
        "residence", "identity", "security_conditional_business", "seals",
    };

    /// <summary>A fingerprint of the filter, so a page token is only honoured with the filter it was made for.</summary>
    public string Fingerprint() =>
        $"{ServiceLevel}|{Field}|{AgencyLevel}|{string.Join(' ', Words)}";
}

/// <summary>A page request after validation: how many, and after which code.</summary>
public sealed record PageCursor(int Size, string? AfterCode);

/// <summary>A page of procedures and where the next one starts.</summary>
public sealed record ProcedurePage(IReadOnlyList<ProcedureRecord> Items, string? NextAfterCode, int TotalSize);

/// <summary>Validation of listing input, giving every broken rule at once.</summary>
public static class ProcedureQueryRules
{
    public static List<FieldViolation> Validate(int pageSize, int serviceLevel, int field)
    {
        var violations = new List<FieldViolation>();
        PageSize.Check(violations, pageSize);

        if (serviceLevel is not (0 or 3 or 4))
        {
            violations.Add(new FieldViolation("service_level", $"{serviceLevel} is not a service level; use SERVICE_LEVEL_3 or SERVICE_LEVEL_4.", "UNKNOWN_ENUM_VALUE"));
        }

        if (field is < 0 or > 4)
        {
            violations.Add(new FieldViolation("field", $"{field} is not a procedure field.", "UNKNOWN_ENUM_VALUE"));
        }

        return violations;
    }
}
