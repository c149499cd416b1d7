using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Listing;

/// <summary>How many rows one page of any listing holds: what a client asks for, within bounds.</summary>
public static class PageSize
{
    public const int Default = 50;
    public const int Max = 500;

    /// <summary>0 (unset) means <see cref="Default"/>; more than <see cref="Max"/> means <see cref="Max"/>.</summary>
    public static int Clamp(int requested) => requested switch
    {
        0 => Default,
        > Max => Max,
        _ => requested,
    };

    /// <summary>A negative size is the caller's mistake, told as one field violation like every listing's.</summary>
    public static void Check(List<FieldViolation> violations, int requested)
    {
        if (requested < 0)
        {
            violations.Add(new FieldViolation("page.page_size", "Must not be negative.", NegativeReason));
        }
    }

    public const string NegativeReason = "PAGE_SIZE_NEGATIVE";
}
