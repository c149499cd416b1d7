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
}
