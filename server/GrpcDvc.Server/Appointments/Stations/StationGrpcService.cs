using Google.Protobuf;
using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Listing;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Stations;

/// <summary>
/// dvc.appointments.v1.StationService: checks the request's form (INVALID_ARGUMENT with field violations), finds the
/// station (NOT_FOUND), checks it is within the manager's agency (PERMISSION_DENIED), returns the first answer of a
/// retried request id, and hands the change to <see cref="StationDirectory"/> or <see cref="StationCalendarChanges"/>.
/// </summary>
public sealed class StationGrpcService(
    DvcDbContext db, StationDirectory directory, StationCalendarChanges changes, StationUtilization utilization, IAgencyScope scope, TimeProvider time)
    : StationService.StationServiceBase
{
    public override async Task<CreateStationResponse> CreateStation(CreateStationRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        StationRules.RequestId(request.RequestId, violations);
        var draft = StationRules.Draft(request.Station, creating: true, violations);
        var template = StationRules.Template(request.Station?.Template, "station.template", violations);
        StationRules.ThrowIfAny(violations, "The station is invalid.");
        var (unit, commune) = await directory.CheckReferencesAsync(draft!, creating: true, violations, context.CancellationToken);
        StationRules.ThrowIfAny(violations, "The station is invalid.");
        await context.EnsureWithinAgencyAsync(scope, [unit!.Code]);
        await CommuneInAgencyAsync(commune!, context);
        var view = await directory.CreateAsync(request.RequestId, draft!, unit, commune!, template, context.CancellationToken);
        return new CreateStationResponse { Station = StationMessages.ToMessage(view) };
    }

    public override async Task<UpdateStationResponse> UpdateStation(UpdateStationRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        StationRules.RequestId(request.RequestId, violations);
        var draft = StationRules.Draft(request.Station, creating: false, violations);
        StationRules.ThrowIfAny(violations, "The station edit is invalid.");
        var station = await StationInAgencyAsync(draft!.Id, context);
        if (station.Kind == StationKinds.Fixed && (draft.VisitFrom is not null || draft.VisitTo is not null))
        {
            violations.Add(new FieldViolation("station.visit_from", "A fixed station has no visit.", "NOT_ALLOWED"));
        }
        else if (station.Kind == StationKinds.Mobile && (draft.VisitFrom is null || draft.VisitTo is null))
        {
            violations.Add(new FieldViolation("station.visit_from", "A mobile team names the first and last day of its visit.", "REQUIRED"));
        }

        var (_, commune) = await directory.CheckReferencesAsync(draft, creating: false, violations, context.CancellationToken);
        StationRules.ThrowIfAny(violations, "The station edit is invalid.");
        await CommuneInAgencyAsync(commune!, context);
        var key = Key(request.RequestId, context);
        return await ChangeAsync(nameof(UpdateStation), key, UpdateStationResponse.Parser, async () =>
        {
            var view = await directory.UpdateAsync(station, request.Station.Version, draft, commune!, key, context.CancellationToken);
            return new UpdateStationResponse { Station = StationMessages.ToMessage(view) };
        }, context.CancellationToken);
    }

    public override async Task<GetStationResponse> GetStation(GetStationRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        StationRules.StationId(request.StationId, "station_id", violations);
        StationRules.ThrowIfAny(violations, "The station code is invalid.");
        var station = await directory.GetAsync(request.StationId, context.CancellationToken);
        return new GetStationResponse { Station = StationMessages.ToMessage(await directory.ViewAsync(station, context.CancellationToken)) };
    }

    public override async Task<ListStationsResponse> ListStations(ListStationsRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var page = request.Page ?? new PageRequest();
        PageSize.Check(violations, page.PageSize);

        var area = request.AreaCode.Trim();
        var procedure = request.ProcedureCode.Trim();
        var fingerprint = $"stations|{area}|{procedure}";
        string? after = null;
        if (page.PageToken.Length > 0 && (after = PageToken.TryRead(page.PageToken, fingerprint)) is null)
        {
            violations.Add(new FieldViolation("page.page_token", "Not a token this listing issued, or issued for other filters.", "INVALID_PAGE_TOKEN"));
        }

        IReadOnlyCollection<int>? unitIds = null;
        if (area.Length > 0)
        {
            unitIds = await scope.CoveredUnitIdsAsync(area, context.CancellationToken);
            if (unitIds is { Count: 0 })
            {
                violations.Add(new FieldViolation("area_code", $"'{area}' is not a known administrative unit.", "UNKNOWN_AREA"));
            }
        }

        StationRules.ThrowIfAny(violations, "The listing request is invalid.");
        var (stations, next, total) = await directory.ListAsync(unitIds, procedure.Length > 0 ? procedure : null, after, PageSize.Clamp(page.PageSize), context.CancellationToken);
        return new ListStationsResponse
        {
            Stations = { stations.Select(StationMessages.ToMessage) },
            Page = new PageInfo { NextPageToken = next is null ? string.Empty : PageToken.Create(next, fingerprint), TotalSize = total },
        };
    }

    public override async Task<SetWeeklyTemplateResponse> SetWeeklyTemplate(SetWeeklyTemplateRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        StationRules.RequestId(request.RequestId, violations);
        StationRules.StationId(request.StationId, "station_id", violations);
        var template = StationRules.Template(request.Template, "template", violations);
        StationRules.ThrowIfAny(violations, "The template is invalid.");
        var station = await StationInAgencyAsync(request.StationId, context);
        var key = Key(request.RequestId, context);
        return await ChangeAsync(nameof(SetWeeklyTemplate), key, SetWeeklyTemplateResponse.Parser, async () =>
        {
            var view = await directory.SetTemplateAsync(station, request.Version, template, key, context.CancellationToken);
            return new SetWeeklyTemplateResponse { Station = StationMessages.ToMessage(view) };
        }, context.CancellationToken);
    }

    public override async Task<SetDayOverrideResponse> SetDayOverride(SetDayOverrideRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        StationRules.RequestId(request.RequestId, violations);
        StationRules.StationId(request.StationId, "station_id", violations);
        var change = DayOverrideRules.Check(request.Override, Today(), violations);
        if (!Enum.IsDefined(request.Surplus))
        {
            violations.Add(new FieldViolation("surplus", "Unspecified or CANCEL_LATEST_AND_NOTIFY.", "INVALID_SURPLUS"));
        }

        StationRules.ThrowIfAny(violations, "The day override is invalid.");
        var station = await StationInAgencyAsync(request.StationId, context);
        var key = Key(request.RequestId, context);
        return await ChangeAsync(nameof(SetDayOverride), key, SetDayOverrideResponse.Parser,
            () => changes.SetDayOverrideAsync(station, change!, request.Surplus, key, context.CancellationToken), context.CancellationToken);
    }

    public override async Task<SetQuotaResponse> SetQuota(SetQuotaRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        StationRules.RequestId(request.RequestId, violations);
        StationRules.StationId(request.StationId, "station_id", violations);
        var quota = DayOverrideRules.Quota(request, Today(), violations);
        StationRules.ThrowIfAny(violations, "The quota change is invalid.");
        var station = await StationInAgencyAsync(request.StationId, context);
        var key = Key(request.RequestId, context);
        return await ChangeAsync(nameof(SetQuota), key, SetQuotaResponse.Parser,
            () => changes.SetQuotaAsync(station, quota!, request.Surplus, key, context.CancellationToken), context.CancellationToken);
    }

    public override async Task<GetStationUtilizationResponse> GetStationUtilization(GetStationUtilizationRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        StationRules.StationId(request.StationId, "station_id", violations);
        var range = DayOverrideRules.Range(request.FromDate, request.ToDate, StationRules.MaxUtilizationRangeDays, violations);
        StationRules.ThrowIfAny(violations, "The utilization request is invalid.");
        var station = await StationInAgencyAsync(request.StationId, context);
        return await utilization.ReadAsync(station.Id, range!.Value.From, range.Value.To, context.CancellationToken);
    }

    private async Task<StationRecord> StationInAgencyAsync(string stationId, ServerCallContext context)
    {
        var station = await directory.GetAsync(stationId, context.CancellationToken);
        await context.EnsureWithinAgencyAsync(scope, [station.UnitCode]);
        return station;
    }

    /// <summary>
    /// The commune a station works in is within the manager's agency too: a station is found by the citizens of its
    /// commune (FindOpenSlots by area), so a manager elsewhere must not open one that takes their bookings.
    /// </summary>
    private async Task CommuneInAgencyAsync(Population.Persistence.AdministrativeUnitRow commune, ServerCallContext context)
        => await context.EnsureWithinAgencyAsync(scope, [commune.Code]);

    private static ChangeKey Key(string requestId, ServerCallContext context) => new(context.GetCaller().AccountId, requestId);

    /// <summary>The first answer of a retried request id, else the change; a retry racing its first call gets the first call's answer.</summary>
    private async Task<T> ChangeAsync<T>(string rpc, ChangeKey key, MessageParser<T> parser, Func<Task<T>> change, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        if (await StationRequests.FirstAnswerAsync(db, key, rpc, parser, cancellationToken) is { } first)
        {
            return first;
        }

        try
        {
            return await change();
        }
        catch (DbUpdateException e)
        {
            db.ChangeTracker.Clear();
            if (await StationRequests.FirstAnswerAsync(db, key, rpc, parser, cancellationToken) is { } raced)
            {
                return raced;
            }

            // Only a race is worth a retry. Any other failure goes up whole, to be logged with its cause,
            // instead of telling the manager to try again a change that cannot be saved.
            if (!WriteConflicts.IsConflict(e))
            {
                throw;
            }

            throw new RpcException(new Status(StatusCode.Aborted, "A concurrent change met this one; try again."));
        }
    }

    private DateOnly Today() => VietnamTime.DateOf(time.GetUtcNow());
}
