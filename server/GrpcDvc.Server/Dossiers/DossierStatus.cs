namespace GrpcDvc.Server.Dossiers;

/// <summary>Where a dossier stands; the names citizens read are in <see cref="DossierStatuses"/>.</summary>
public enum DossierStatus
{
    Submitted = 1,
    Received = 2,
    Processing = 3,
    SupplementRequested = 4,
    Approved = 5,
    ResultIssued = 6,
    ResultReturned = 7,
    Rejected = 8,
    Withdrawn = 9,
}

/// <summary>The stored codes and the Vietnamese names of the statuses (the wording of the portals' status pages).</summary>
public static class DossierStatuses
{
    private static readonly (DossierStatus Status, string Code, string NameVi)[] All =
    [
        (DossierStatus.Submitted, "submitted", "Mới đăng ký"),
        (DossierStatus.Received, "received", "Đã tiếp nhận"),
        (DossierStatus.Processing, "processing", "Đang xử lý"),
        (DossierStatus.SupplementRequested, "supplement_requested", "Yêu cầu bổ sung"),
        (DossierStatus.Approved, "approved", "Đã phê duyệt"),
        (DossierStatus.ResultIssued, "result_issued", "Đã có kết quả"),
        (DossierStatus.ResultReturned, "result_returned", "Đã trả kết quả"),
        (DossierStatus.Rejected, "rejected", "Từ chối"),
        (DossierStatus.Withdrawn, "withdrawn", "Đã rút"),
    ];

    /// <summary>The code stored in dossiers.status and in the history (stable: the hash chain covers it).</summary>
    public static string Code(DossierStatus status) => Find(status).Code;

    public static string NameVi(DossierStatus status) => Find(status).NameVi;

    public static DossierStatus Parse(string code)
    {
        foreach (var entry in All)
        {
            if (entry.Code == code)
            {
                return entry.Status;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(code), code, "Not a dossier status code.");
    }

    /// <summary>Final: nothing changes a dossier once it is here.</summary>
    public static bool IsFinal(DossierStatus status)
        => status is DossierStatus.ResultReturned or DossierStatus.Rejected or DossierStatus.Withdrawn;

    private static (DossierStatus Status, string Code, string NameVi) Find(DossierStatus status)
    {
        foreach (var entry in All)
        {
            if (entry.Status == status)
            {
                return entry;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(status), status, "Not a dossier status.");
    }
}
