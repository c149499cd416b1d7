using System.Globalization;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Proto = GrpcDvc.Contracts.Dossiers.V1;

namespace GrpcDvc.Server.Dossiers.Tracking;

/// <summary>The order of a listing; each is total (the code breaks ties), so keyset paging never skips or repeats a dossier.</summary>
public enum DossierOrder
{
    /// <summary>Earliest due first, dossiers without a due time last.</summary>
    DueAt,

    SubmittedAt,

    SubmittedAtDesc,
}

/// <summary>What a listing keeps; every part optional. <see cref="UnitIds"/> null: no limit by unit.</summary>
public sealed record DossierFilter
{
    public Guid? ApplicantAccountId { get; init; }

    public IReadOnlyCollection<int>? UnitIds { get; init; }

    public IReadOnlyCollection<string> Statuses { get; init; } = [];

    public string? ProcedureCode { get; init; }

    public string? Code { get; init; }

    public string? CitizenIdNumber { get; init; }

    public DateTimeOffset? SubmittedFrom { get; init; }

    public DateTimeOffset? SubmittedTo { get; init; }

    public bool OverdueOnly { get; init; }

    /// <summary>Only unfinished dossiers due in [now, now + this).</summary>
    public TimeSpan? DueWithin { get; init; }

    public DossierOrder Order { get; init; } = DossierOrder.DueAt;

    /// <summary>Binds page tokens to these filters (and to the caller, given as <paramref name="who"/>).</summary>
    public string Fingerprint(string listing, string who)
        => string.Join('\u001f', listing, who, ApplicantAccountId?.ToString("N") ?? "",
            UnitIds is null ? "*" : string.Join(',', UnitIds.Order()), string.Join(',', Statuses.Order(StringComparer.Ordinal)),
            ProcedureCode ?? "", Code ?? "", CitizenIdNumber ?? "",
            SubmittedFrom?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "",
            SubmittedTo?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "",
            OverdueOnly ? "overdue" : "", DueWithin?.TotalHours.ToString(CultureInfo.InvariantCulture) ?? "", Order.ToString());
}

/// <summary>One page of dossiers, whether another follows, and how many match in all.</summary>
public sealed record DossierPage(IReadOnlyList<DossierRecord> Items, DossierPageKey? Next, int TotalSize);

/// <summary>
/// The listings' queries: the filters in SQL, keyset paging in the listing's order, and the total.
/// Rows come without the details document (a page shows summaries only).
/// </summary>
public sealed class DossierListing(DvcDbContext db)
{
    /// <summary>The statuses in which the statutory clock runs (what "overdue" and "due soon" apply to), as <see cref="DossierMessages.IsOverdue"/> decides.</summary>
    public static readonly IReadOnlyList<string> ClockRunning =
        [.. new[] { DossierStatus.Submitted, DossierStatus.Received, DossierStatus.Processing, DossierStatus.Approved }.Select(DossierStatuses.Code)];

    public async Task<DossierPage> PageAsync(DossierFilter filter, int size, DossierPageKey? after, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var matching = Filtered(filter, now);
        var total = await matching.CountAsync(cancellationToken);
        var rows = await Ordered(After(matching, filter.Order, after), filter.Order)
            .Select(d => new DossierRecord
            {
                Id = d.Id, Code = d.Code, ProcedureCode = d.ProcedureCode, UnitId = d.UnitId, UnitCode = d.UnitCode,
                ApplicantAccountId = d.ApplicantAccountId, ApplicantIdNumber = d.ApplicantIdNumber, ApplicantName = d.ApplicantName,
                Status = d.Status, Version = d.Version, SubmitRequestId = "", SubmittedAt = d.SubmittedAt, ClockStartedAt = d.ClockStartedAt,
                DueAt = d.DueAt, ClockStops = "", OverdueAt = d.OverdueAt, UpdatedAt = d.UpdatedAt, Details = "", HistoryHead = "",
            })
            .Take(size + 1)
            .ToListAsync(cancellationToken);
        DossierPageKey? next = null;
        if (rows.Count > size)
        {
            rows.RemoveAt(size);
            var last = rows[^1];
            next = DossierPageKey.After(filter.Order == DossierOrder.DueAt ? last.DueAt : last.SubmittedAt, last.Code);
        }

        return new DossierPage(rows, next, total);
    }

    private IQueryable<DossierRecord> Filtered(DossierFilter f, DateTimeOffset now)
    {
        var rows = db.Dossiers().AsNoTracking();
        if (f.ApplicantAccountId is { } applicant)
        {
            rows = rows.Where(d => d.ApplicantAccountId == applicant);
        }

        if (f.UnitIds is { } units)
        {
            rows = units.Count == 1 ? rows.Where(d => d.UnitId == units.First()) : rows.Where(d => units.Contains(d.UnitId));
        }

        if (f.Statuses.Count > 0)
        {
            var statuses = f.Statuses;
            rows = rows.Where(d => statuses.Contains(d.Status));
        }

        if (f.ProcedureCode is { } procedure)
        {
            rows = rows.Where(d => d.ProcedureCode == procedure);
        }

        if (f.Code is { } code)
        {
            rows = rows.Where(d => d.Code == code);
        }

        if (f.CitizenIdNumber is { } idNumber)
        {
            // dossier_people names the applicant too: one indexed lookup finds every dossier the person is in.
            rows = rows.Where(d => db.DossierPeople().Where(p => p.IdNumber == idNumber).Select(p => p.DossierId).Contains(d.Id));
        }

        if (f.SubmittedFrom is { } from)
        {
            rows = rows.Where(d => d.SubmittedAt >= from);
        }

        if (f.SubmittedTo is { } to)
        {
            rows = rows.Where(d => d.SubmittedAt < to);
        }

        if (f.OverdueOnly || f.DueWithin is not null)
        {
            var running = ClockRunning;
            rows = rows.Where(d => running.Contains(d.Status) && d.DueAt != null);
        }

        if (f.OverdueOnly)
        {
            rows = rows.Where(d => d.DueAt < now);
        }

        if (f.DueWithin is { } within)
        {
            var until = now + within;
            rows = rows.Where(d => d.DueAt >= now && d.DueAt < until);
        }

        return rows;
    }

    private static IQueryable<DossierRecord> After(IQueryable<DossierRecord> rows, DossierOrder order, DossierPageKey? key)
    {
        if (key is not { } after)
        {
            return rows;
        }

        var code = after.Code;
        switch (order)
        {
            case DossierOrder.DueAt when after.At is { } due:
                return rows.Where(d => d.DueAt == null || d.DueAt > due || (d.DueAt == due && string.Compare(d.Code, code) > 0));
            case DossierOrder.DueAt:
                return rows.Where(d => d.DueAt == null && string.Compare(d.Code, code) > 0);
            case DossierOrder.SubmittedAt:
                var fromAsc = after.At ?? DateTimeOffset.MinValue;
                return rows.Where(d => d.SubmittedAt > fromAsc || (d.SubmittedAt == fromAsc && string.Compare(d.Code, code) > 0));
            default:
                var fromDesc = after.At ?? DateTimeOffset.MaxValue;
                return rows.Where(d => d.SubmittedAt < fromDesc || (d.SubmittedAt == fromDesc && string.Compare(d.Code, code) < 0));
        }
    }

    private static IQueryable<DossierRecord> Ordered(IQueryable<DossierRecord> rows, DossierOrder order) => order switch
    {
        DossierOrder.DueAt => rows.OrderBy(d => d.DueAt == null).ThenBy(d => d.DueAt).ThenBy(d => d.Code),
        DossierOrder.SubmittedAt => rows.OrderBy(d => d.SubmittedAt).ThenBy(d => d.Code),
        _ => rows.OrderByDescending(d => d.SubmittedAt).ThenByDescending(d => d.Code),
    };

    /// <summary>The contract's sort to the listing's order; null for a value this server does not know.</summary>
    public static DossierOrder? OrderOf(Proto.DossierSort sort) => sort switch
    {
        Proto.DossierSort.Unspecified or Proto.DossierSort.DueAt => DossierOrder.DueAt,
        Proto.DossierSort.SubmittedAt => DossierOrder.SubmittedAt,
        Proto.DossierSort.SubmittedAtDesc => DossierOrder.SubmittedAtDesc,
        _ => null,
    };
}
