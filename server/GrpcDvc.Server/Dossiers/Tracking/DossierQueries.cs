using System.Data;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GrpcDvc.Server.Dossiers.Tracking;

/// <summary>The reads: one dossier, the lists, public tracking, the live watch, the history and its verification, auditors' search.</summary>
public sealed class DossierQueries(
    DvcDbContext db, DossierReads reads, DossierReadLog readLog, DossierListing listing, IAgencyScope scope,
    DossierChangeFeed feed, IOptions<DossierTrackingOptions> options, TimeProvider time)
{
    /// <summary>The longest code a request may name (the column's width).</summary>
    public const int MaxCodeLength = 64;

    /// <summary>"Due within" reaches at most a year ahead.</summary>
    public const int MaxDueWithinHours = 24 * 366;

    private DossierTrackingOptions Options => options.Value;

    public async Task<GetDossierResponse> GetAsync(GetDossierRequest request, ServerCallContext context)
    {
        var code = RequiredCode(request.Code);
        var caller = context.GetCaller();
        var ct = context.CancellationToken;
        var row = await reads.FindForAsync(caller, code, ct);
        var message = await reads.MessageAsync(row, time.GetUtcNow(), ct);
        // Logged last, committed before the reply: nothing leaves unlogged, and a refused read logs nothing.
        await readLog.WriteAsync(caller, row, await reads.PeopleConcernedAsync(row, ct), context.Method, ct);
        return new GetDossierResponse { Dossier = message };
    }

    public Task WatchAsync(WatchDossierRequest request, IServerStreamWriter<WatchDossierResponse> updates, ServerCallContext context)
        => new DossierWatch(reads, readLog, db, feed, Options, time).RunAsync(RequiredCode(request.Code), updates, context);

    public async Task<TrackDossierResponse> TrackAsync(TrackDossierRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var code = Text(request.Code);
        var procedureCode = Text(request.ProcedureCode);
        if (code is null)
        {
            violations.Add(new FieldViolation("code", "The dossier code is required.", "REQUIRED"));
        }

        if (procedureCode is null)
        {
            violations.Add(new FieldViolation("procedure_code", "The procedure's code is required with the dossier code.", "REQUIRED"));
        }

        ThrowIfAny(violations, "Tracking needs the dossier code and its procedure.");
        var ct = context.CancellationToken;
        // Code and procedure must both match, and both misses answer alike: a code alone cannot be probed.
        var row = (code!.Length > MaxCodeLength ? null : await db.Dossiers().AsNoTracking()
            .Where(d => d.Code == code && d.ProcedureCode == procedureCode)
            .Select(d => new { d.Code, d.ProcedureCode, d.Status, d.UnitId, d.UnitCode, d.SubmittedAt, d.DueAt, d.UpdatedAt })
            .SingleOrDefaultAsync(ct)) ?? throw TrackingErrors.NotTracked();
        var status = DossierStatuses.Parse(row.Status);
        var names = await reads.ProcedureNamesAsync([row.ProcedureCode], ct);
        var reply = new TrackDossierResponse
        {
            Code = row.Code,
            ProcedureCode = row.ProcedureCode,
            ProcedureName = DossierReads.NameOf(names, row.ProcedureCode),
            Status = DossierMessages.ToMessage(status),
            StatusName = DossierStatuses.NameVi(status),
            UnitName = await reads.UnitNameAsync(row.UnitId, ct) ?? row.UnitCode,
            SubmittedAt = DossierMessages.Time(row.SubmittedAt),
            UpdatedAt = DossierMessages.Time(row.UpdatedAt),
        };
        if (row.DueAt is { } due)
        {
            reply.DueAt = DossierMessages.Time(due);
        }

        return reply;
    }

    public async Task<ListMyDossiersResponse> ListMineAsync(ListMyDossiersRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<FieldViolation>();
        var filter = new DossierFilter
        {
            ApplicantAccountId = caller.AccountId,
            Statuses = Statuses(violations, request.Statuses, "statuses"),
            Order = DossierOrder.SubmittedAtDesc,
        };
        var paging = Paging(violations, filter, "mine", caller, request.Page);
        ThrowIfAny(violations, "The listing request is invalid.");
        return await PageAsync(filter, paging, (items, info) => new ListMyDossiersResponse { Dossiers = { items }, Page = info }, context.CancellationToken);
    }

    public async Task<ListDossiersResponse> ListAsync(ListDossiersRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var ct = context.CancellationToken;
        var violations = new List<FieldViolation>();
        var order = DossierListing.OrderOf(request.Sort);
        if (order is null)
        {
            violations.Add(new FieldViolation("sort", $"{request.Sort} is not a sort this server knows.", "UNKNOWN_SORT"));
        }

        if (request.DueWithinHours is < 0 or > MaxDueWithinHours)
        {
            violations.Add(new FieldViolation("due_within_hours", $"Between 0 (no filter) and {MaxDueWithinHours}.", "DUE_WITHIN_RANGE"));
        }

        var unit = await UnitAsync(violations, request.UnitCode, "unit_code", ct);
        var filter = new DossierFilter
        {
            Statuses = Statuses(violations, request.Statuses, "statuses"),
            ProcedureCode = await ProcedureAsync(violations, request.ProcedureCode, ct),
            OverdueOnly = request.OverdueOnly,
            DueWithin = request.DueWithinHours > 0 && request.DueWithinHours <= MaxDueWithinHours ? TimeSpan.FromHours(request.DueWithinHours) : null,
            Order = order ?? DossierOrder.DueAt,
        };
        var paging = Paging(violations, filter with { UnitIds = unit is null ? null : [unit.Id] }, "queue", caller, request.Page);
        ThrowIfAny(violations, "The listing request is invalid.");
        filter = filter with { UnitIds = await UnitScopeAsync(caller, unit, ct) };
        return await PageAsync(filter, paging, (items, info) => new ListDossiersResponse { Dossiers = { items }, Page = info }, ct);
    }

    public async Task<SearchDossiersResponse> SearchAsync(SearchDossiersRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var ct = context.CancellationToken;
        var violations = new List<FieldViolation>();
        var code = Text(request.Code);
        if (code is { Length: > MaxCodeLength })
        {
            violations.Add(new FieldViolation("code", $"At most {MaxCodeLength} characters.", "CODE_TOO_LONG"));
        }

        var idNumber = Text(request.CitizenIdNumber);
        if (idNumber is not null)
        {
            PopulationRequestRules.IdNumber(violations, idNumber, "citizen_id_number");
        }

        var from = Instant(violations, request.SubmittedFrom, "submitted_from");
        var to = Instant(violations, request.SubmittedTo, "submitted_to");
        if (from is { } f && to is { } t && f >= t)
        {
            violations.Add(new FieldViolation("submitted_to", "Must be after submitted_from: the period is [from, to).", "EMPTY_PERIOD"));
        }

        var unit = await UnitAsync(violations, request.UnitCode, "unit_code", ct);
        var filter = new DossierFilter
        {
            Code = code,
            CitizenIdNumber = idNumber,
            ProcedureCode = await ProcedureAsync(violations, request.ProcedureCode, ct),
            SubmittedFrom = from,
            SubmittedTo = to,
            Statuses = Statuses(violations, request.Statuses, "statuses"),
            Order = DossierOrder.SubmittedAtDesc,
        };
        var paging = Paging(violations, filter with { UnitIds = unit is null ? null : [unit.Id] }, "search", caller, request.Page);
        ThrowIfAny(violations, "The search request is invalid.");
        filter = filter with { UnitIds = await UnitScopeAsync(caller, unit, ct) };
        return await PageAsync(filter, paging, (items, info) => new SearchDossiersResponse { Dossiers = { items }, Page = info }, ct);
    }

    public async Task<GetDossierHistoryResponse> HistoryAsync(GetDossierHistoryRequest request, ServerCallContext context)
    {
        var code = RequiredCode(request.Code);
        var ct = context.CancellationToken;
        var row = await reads.FindForAsync(context.GetCaller(), code, ct);
        var events = await db.DossierEvents().AsNoTracking().Where(e => e.DossierId == row.Id).OrderBy(e => e.Sequence).ToListAsync(ct);
        return new GetDossierHistoryResponse { Events = { events.Select(DossierMessages.ToMessage) } };
    }

    public async Task<VerifyDossierHistoryResponse> VerifyHistoryAsync(VerifyDossierHistoryRequest request, ServerCallContext context)
    {
        var code = RequiredCode(request.Code);
        var ct = context.CancellationToken;
        var caller = context.GetCaller();
        var found = await reads.FindForAsync(caller, code, ct);

        // One snapshot for the anchor and every batch: a change committed meanwhile is neither half seen
        // nor taken for an event added behind the dossier's back.
        await using var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var dossier = await reads.CurrentAsync(found.Id, ct) ?? throw TrackingErrors.DossierNotFound(code);
        var check = await HistoryVerification.VerifyAsync(db, dossier, Options.VerifyBatchSize, ct);
        await snapshot.CommitAsync(ct);
        return new VerifyDossierHistoryResponse
        {
            Intact = check.Intact,
            EventsChecked = check.EventsChecked,
            FirstBrokenSequence = check.FirstBrokenSequence,
            Problem = check.Problem ?? string.Empty,
        };
    }

    /// <summary>
    /// The page asked for, its violations added to the request's others. The token is bound to the filters
    /// as asked and to the caller (account and unit: the unit decides which dossiers an unnamed unit means).
    /// </summary>
    private static PagePosition Paging(List<FieldViolation> violations, DossierFilter asked, string listingName, CallerIdentity caller, Contracts.Common.V1.PageRequest? page)
    {
        var fingerprint = asked.Fingerprint(listingName, $"{caller.AccountId:N}@{caller.AgencyUnit}");
        var (size, after) = DossierPageKey.Read(violations, page, fingerprint);
        return new PagePosition(size, after, fingerprint);
    }

    private async Task<TResponse> PageAsync<TResponse>(
        DossierFilter filter, PagePosition position, Func<IEnumerable<DossierSummary>, Contracts.Common.V1.PageInfo, TResponse> reply, CancellationToken ct)
    {
        var page = await listing.PageAsync(filter, position.Size, position.After, time.GetUtcNow(), ct);
        return reply(await SummariesAsync(page, ct), new Contracts.Common.V1.PageInfo { NextPageToken = page.Next?.Token(position.Fingerprint) ?? string.Empty, TotalSize = page.TotalSize });
    }

    private async Task<List<DossierSummary>> SummariesAsync(DossierPage page, CancellationToken ct)
    {
        var names = await reads.ProcedureNamesAsync([.. page.Items.Select(d => d.ProcedureCode)], ct);
        var now = time.GetUtcNow();
        return [.. page.Items.Select(d => DossierMessages.ToSummary(d, DossierReads.NameOf(names, d.ProcedureCode), now))];
    }

    /// <summary>
    /// The units an official's listing covers: one unit they named (refused when outside theirs), else
    /// every unit theirs covers; null for a national unit with no unit named.
    /// </summary>
    private async Task<IReadOnlyCollection<int>?> UnitScopeAsync(CallerIdentity caller, AdministrativeUnitRow? named, CancellationToken ct)
    {
        if (caller.AgencyUnit is not { Length: > 0 } agency)
        {
            throw TrackingErrors.OutsideAgency();
        }

        var covered = await scope.CoveredUnitIdsAsync(agency, ct);
        if (named is null)
        {
            return covered;
        }

        if (covered is not null && !covered.Contains(named.Id))
        {
            throw TrackingErrors.UnitOutsideAgency(named.Code);
        }

        return [named.Id];
    }

    private async Task<AdministrativeUnitRow?> UnitAsync(List<FieldViolation> violations, string value, string field, CancellationToken ct)
    {
        if (Text(value) is not { } code)
        {
            return null;
        }

        var unit = code.Length > MaxCodeLength ? null : await db.Set<AdministrativeUnitRow>().AsNoTracking().FirstOrDefaultAsync(u => u.Code == code, ct);
        if (unit is null)
        {
            violations.Add(new FieldViolation(field, $"'{Shorten(code)}' is not a known unit.", "UNKNOWN_UNIT"));
        }

        return unit;
    }

    private async Task<string?> ProcedureAsync(List<FieldViolation> violations, string value, CancellationToken ct)
    {
        if (Text(value) is not { } code)
        {
            return null;
        }

        if (code.Length > MaxCodeLength || !await db.Set<ProcedureRecord>().AnyAsync(p => p.Code == code, ct))
        {
            violations.Add(new FieldViolation("procedure_code", $"'{Shorten(code)}' is not a procedure of the catalog.", "UNKNOWN_PROCEDURE"));
        }

        return code;
    }

    private static List<string> Statuses(List<FieldViolation> violations, IEnumerable<Contracts.Dossiers.V1.DossierStatus> statuses, string field)
    {
        var codes = new List<string>();
        var i = 0;
        foreach (var status in statuses)
        {
            if (DossierMessages.FromMessage(status) is { } known)
            {
                codes.Add(DossierStatuses.Code(known));
            }
            else
            {
                violations.Add(new FieldViolation($"{field}[{i}]", $"{status} is not a dossier status.", "UNKNOWN_STATUS"));
            }

            i++;
        }

        return [.. codes.Distinct(StringComparer.Ordinal)];
    }

    private static DateTimeOffset? Instant(List<FieldViolation> violations, Timestamp? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        // Timestamp's own range (years 1 to 9999, nanos within a second); outside it ToDateTimeOffset throws.
        if (value.Seconds is < -62_135_596_800 or > 253_402_300_799 || value.Nanos is < 0 or > 999_999_999)
        {
            violations.Add(new FieldViolation(field, "Not a valid timestamp.", "INVALID_TIMESTAMP"));
            return null;
        }

        return value.ToDateTimeOffset();
    }

    private static string RequiredCode(string value)
    {
        var code = Text(value) ?? throw TrackingErrors.CodeRequired();
        if (code.Length > MaxCodeLength)
        {
            throw RpcErrors.InvalidArgument("The dossier code is too long.", new FieldViolation("code", $"At most {MaxCodeLength} characters.", "CODE_TOO_LONG"));
        }

        return code;
    }

    private static string? Text(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;

    private static void ThrowIfAny(List<FieldViolation> violations, string message)
    {
        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument(message, [.. violations]);
        }
    }
}

/// <summary>A validated page request: its size, where it continues, and the fingerprint its next token carries.</summary>
internal sealed record PagePosition(int Size, DossierPageKey? After, string Fingerprint);
