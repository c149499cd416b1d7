using Grpc.Core;
using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Stations;

/// <summary>
/// Stations as rows: created, edited (against the version the edit was made on), their templates replaced, read and
/// listed. A change that moves the calendar (template, booking window, release time, visit) replans the days not yet
/// open; days already open keep their sessions.
/// </summary>
public sealed class StationDirectory(DvcDbContext db, SessionMaterializer materializer, TimeProvider time)
{
    public async Task<StationRecord?> FindAsync(string stationId, CancellationToken cancellationToken)
        => await db.Set<StationRecord>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == stationId, cancellationToken);

    public async Task<StationRecord> GetAsync(string stationId, CancellationToken cancellationToken)
        => await FindAsync(stationId, cancellationToken) ?? throw NotFound(stationId);

    public static RpcException NotFound(string stationId)
        => RpcErrors.NotFound("station", stationId, $"No station has the code '{stationId}'.");

    public async Task<StationView> ViewAsync(StationRecord station, CancellationToken cancellationToken)
        => (await ViewsAsync([station], cancellationToken))[0];

    public async Task<IReadOnlyList<StationView>> ViewsAsync(IReadOnlyList<StationRecord> stations, CancellationToken cancellationToken)
    {
        var ids = stations.Select(s => s.Id).ToList();
        var unitIds = stations.Select(s => s.UnitId).Distinct().ToList();
        var procedures = (await db.Set<StationProcedureRecord>().AsNoTracking().Where(p => ids.Contains(p.StationId)).ToListAsync(cancellationToken))
            .ToLookup(p => p.StationId, p => p.ProcedureCode);
        var template = (await db.Set<StationTemplateSessionRecord>().AsNoTracking().Where(t => ids.Contains(t.StationId)).ToListAsync(cancellationToken))
            .ToLookup(t => t.StationId, t => new TemplateSlot(t.Weekday, t.Part, t.StartMinute, t.EndMinute, t.Capacity));
        var units = await db.Set<AdministrativeUnitRow>().AsNoTracking().Where(u => unitIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        return [.. stations.Select(s => new StationView(s, units.GetValueOrDefault(s.UnitId, s.UnitCode), [.. procedures[s.Id]], [.. template[s.Id]]))];
    }

    /// <summary>Checks the draft's units and procedures exist: violations for those that do not; the unit rows found.</summary>
    public async Task<(AdministrativeUnitRow? Unit, AdministrativeUnitRow? Commune)> CheckReferencesAsync(
        StationDraft draft, bool creating, List<FieldViolation> violations, CancellationToken cancellationToken)
    {
        AdministrativeUnitRow? unit = null;
        if (creating)
        {
            unit = await CurrentUnitAsync(draft.UnitCode, cancellationToken);
            if (unit is null)
            {
                violations.Add(new FieldViolation("station.unit_code", $"'{draft.UnitCode}' is not a current administrative unit.", "UNKNOWN_UNIT"));
            }
        }

        var commune = await CurrentUnitAsync(draft.CommuneCode, cancellationToken);
        if (commune is not { Level: AdministrativeLevel.Commune })
        {
            violations.Add(new FieldViolation("station.commune_code", $"'{draft.CommuneCode}' is not a current commune.", "UNKNOWN_COMMUNE"));
        }

        var codes = draft.ProcedureCodes;
        var known = await db.Procedures().AsNoTracking().Where(p => codes.Contains(p.Code) && p.ServiceLevel == 3).Select(p => p.Code).ToListAsync(cancellationToken);
        foreach (var code in codes.Except(known, StringComparer.Ordinal))
        {
            violations.Add(new FieldViolation("station.procedure_codes", $"'{code}' is not a level-3 procedure of the catalog.", "UNKNOWN_PROCEDURE"));
        }

        return (unit, commune);
    }

    private async Task<AdministrativeUnitRow?> CurrentUnitAsync(string code, CancellationToken cancellationToken)
        => code.Length == 0 ? null : await db.Set<AdministrativeUnitRow>().AsNoTracking().FirstOrDefaultAsync(u => u.Code == code && u.ValidTo == null, cancellationToken);

    /// <summary>Creates the station, or returns the one this request id already created; ALREADY_EXISTS for a code taken by another request.</summary>
    public async Task<StationView> CreateAsync(string requestId, StationDraft draft, AdministrativeUnitRow unit, AdministrativeUnitRow commune,
        IReadOnlyList<TemplateSlot> template, CancellationToken cancellationToken)
    {
        if (await FindAsync(draft.Id, cancellationToken) is { } existing)
        {
            return await SameRequestAsync(existing, requestId, cancellationToken);
        }

        var now = Now();
        var station = new StationRecord
        {
            Id = draft.Id, Name = draft.Name, Kind = draft.Kind, UnitId = unit.Id, UnitCode = unit.Code, CommuneUnitId = commune.Id, CommuneCode = commune.Code,
            Address = draft.Address, BookingWindowDays = draft.BookingWindowDays, ReleaseMinute = draft.ReleaseMinute, VisitFrom = draft.VisitFrom,
            VisitTo = draft.VisitTo, Accepting = true, Version = 1, CreateRequestId = requestId, CreatedAt = now, UpdatedAt = now,
        };
        db.Set<StationRecord>().Add(station);
        db.Set<StationProcedureRecord>().AddRange(draft.ProcedureCodes.Select(p => new StationProcedureRecord { StationId = station.Id, ProcedureCode = p }));
        db.Set<StationTemplateSessionRecord>().AddRange(template.Select(t => TemplateRow(station.Id, t)));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another call created the code between the read and the insert (a concurrent retry, or another manager).
            db.ChangeTracker.Clear();
            var winner = await FindAsync(draft.Id, cancellationToken);
            if (winner is null)
            {
                throw;
            }

            return await SameRequestAsync(winner, requestId, cancellationToken);
        }

        db.ChangeTracker.Clear();
        await materializer.MaterialiseAsync(station, now, cancellationToken);
        return await ViewAsync(station, cancellationToken);
    }

    private async Task<StationView> SameRequestAsync(StationRecord existing, string requestId, CancellationToken cancellationToken)
        => existing.CreateRequestId == requestId
            ? await ViewAsync(existing, cancellationToken)
            : throw RpcErrors.Create(StatusCode.AlreadyExists, $"The station code '{existing.Id}' is taken.",
                new Google.Rpc.ResourceInfo { ResourceType = "station", ResourceName = existing.Id, Description = "Station codes are unique nationwide." },
                RpcErrors.Reason("STATION_EXISTS"));

    /// <summary>Edits the station's editable fields when <paramref name="version"/> is still its version; ABORTED when stale.</summary>
    public async Task<StationView> UpdateAsync(StationRecord station, long version, StationDraft draft, AdministrativeUnitRow commune,
        ChangeKey key, CancellationToken cancellationToken)
    {
        var now = Now();
        var replan = station.BookingWindowDays != draft.BookingWindowDays || station.ReleaseMinute != draft.ReleaseMinute
            || station.VisitFrom != draft.VisitFrom || station.VisitTo != draft.VisitTo;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var tracked = await TrackVersionAsync(station.Id, version, cancellationToken);
        tracked.Name = draft.Name;
        tracked.Address = draft.Address;
        tracked.CommuneUnitId = commune.Id;
        tracked.CommuneCode = commune.Code;
        tracked.BookingWindowDays = draft.BookingWindowDays;
        tracked.ReleaseMinute = draft.ReleaseMinute;
        if (tracked.Kind == StationKinds.Mobile)
        {
            tracked.VisitFrom = draft.VisitFrom;
            tracked.VisitTo = draft.VisitTo;
        }

        tracked.Accepting = draft.Accepting;
        tracked.Version++;
        tracked.UpdatedAt = now;
        var procedures = await db.Set<StationProcedureRecord>().Where(p => p.StationId == station.Id).ToListAsync(cancellationToken);
        db.Set<StationProcedureRecord>().RemoveRange(procedures.Where(p => !draft.ProcedureCodes.Contains(p.ProcedureCode)));
        db.Set<StationProcedureRecord>().AddRange(draft.ProcedureCodes.Where(c => procedures.All(p => p.ProcedureCode != c))
            .Select(c => new StationProcedureRecord { StationId = station.Id, ProcedureCode = c }));
        await SaveVersionedAsync(cancellationToken);
        if (replan)
        {
            await materializer.ReplanAsync(tracked, now, cancellationToken);
        }

        var view = await ViewAsync(tracked, cancellationToken);
        StationRequests.Keep(db, key, nameof(Contracts.Appointments.V1.StationService.StationServiceBase.UpdateStation), tracked.Id,
            new Contracts.Appointments.V1.UpdateStationResponse { Station = StationMessages.ToMessage(view) }, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return view;
    }

    /// <summary>Replaces the weekly template (version-checked) and replans the days not yet open, in one transaction.</summary>
    public async Task<StationView> SetTemplateAsync(StationRecord station, long version, IReadOnlyList<TemplateSlot> template,
        ChangeKey key, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var tracked = await TrackVersionAsync(station.Id, version, cancellationToken);
        tracked.Version++;
        tracked.UpdatedAt = now;
        await SaveVersionedAsync(cancellationToken);
        await db.Set<StationTemplateSessionRecord>().Where(t => t.StationId == station.Id).ExecuteDeleteAsync(cancellationToken);
        db.Set<StationTemplateSessionRecord>().AddRange(template.Select(t => TemplateRow(station.Id, t)));
        await db.SaveChangesAsync(cancellationToken);
        await materializer.ReplanAsync(tracked, now, cancellationToken);
        var view = await ViewAsync(tracked, cancellationToken);
        StationRequests.Keep(db, key, nameof(Contracts.Appointments.V1.StationService.StationServiceBase.SetWeeklyTemplate), tracked.Id,
            new Contracts.Appointments.V1.SetWeeklyTemplateResponse { Station = StationMessages.ToMessage(view) }, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return view;
    }

    private async Task<StationRecord> TrackVersionAsync(string stationId, long version, CancellationToken cancellationToken)
    {
        var tracked = await db.Set<StationRecord>().FirstOrDefaultAsync(s => s.Id == stationId, cancellationToken) ?? throw NotFound(stationId);
        if (tracked.Version != version)
        {
            throw Stale(stationId, tracked.Version);
        }

        return tracked;
    }

    /// <summary>Saves a version-checked edit: the UPDATE names the version read, so a concurrent edit makes it ABORTED, never lost.</summary>
    private async Task SaveVersionedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw Stale(string.Empty, null);
        }
    }

    private static RpcException Stale(string stationId, long? current)
        => RpcErrors.Create(StatusCode.Aborted,
            current is { } v ? $"Station '{stationId}' changed meanwhile (now version {v}): read it again and redo the edit." : "The station changed meanwhile: read it again and redo the edit.",
            RpcErrors.Reason("STALE_VERSION"));

    private static StationTemplateSessionRecord TemplateRow(string stationId, TemplateSlot t) => new()
    {
        StationId = stationId, Weekday = t.Weekday, Part = t.Part, StartMinute = t.StartMinute, EndMinute = t.EndMinute, Capacity = t.Capacity,
    };

    /// <summary>Stations of the given units (null: every unit) taking a procedure (null: any), by code after <paramref name="after"/>.</summary>
    public async Task<(IReadOnlyList<StationView> Page, string? NextAfter, int Total)> ListAsync(
        IReadOnlyCollection<int>? unitIds, string? procedureCode, string? after, int size, CancellationToken cancellationToken)
    {
        var query = db.Set<StationRecord>().AsNoTracking();
        if (unitIds is not null)
        {
            query = query.Where(s => unitIds.Contains(s.UnitId) || unitIds.Contains(s.CommuneUnitId));
        }

        if (procedureCode is not null)
        {
            query = query.Where(s => db.Set<StationProcedureRecord>().Any(p => p.StationId == s.Id && p.ProcedureCode == procedureCode));
        }

        var total = await query.CountAsync(cancellationToken);
        if (after is not null)
        {
            query = query.Where(s => string.Compare(s.Id, after) > 0);
        }

        var rows = await query.OrderBy(s => s.Id).Take(size + 1).ToListAsync(cancellationToken);
        var page = rows.Take(size).ToList();
        return (await ViewsAsync(page, cancellationToken), rows.Count > size ? page[^1].Id : null, total);
    }

    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
}
