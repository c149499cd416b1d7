using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using GrpcDvc.Contracts.Audit.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.DataAccessLog;

namespace GrpcDvc.Server.Audit;

/// <summary>dvc.audit.v1.AuditService: the auditors' queries of the access log and the sign-in audit.</summary>
public sealed class AuditGrpcService(AccessLog accessLog, SignInLog signIns, AuditScope scope) : AuditService.AuditServiceBase
{
    public override async Task<QueryDataAccessesResponse> QueryDataAccesses(QueryDataAccessesRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        int? purpose = request.Purpose == AccessPurpose.Unspecified ? null : (int)request.Purpose;
        if (purpose is { } p && !System.Enum.IsDefined(typeof(AccessPurpose), p))
        {
            violations.Add(new FieldViolation("purpose", $"{p} is not an access purpose.", "UNKNOWN_ENUM_VALUE"));
        }

        var query = new AccessQuery(PopulationRequestRules.Blank(request.AccessorAccountId), PopulationRequestRules.Blank(request.SubjectIdNumber),
            purpose, request.From?.ToDateTimeOffset(), request.Until?.ToDateTimeOffset(), AgencyCodes: null);
        var fingerprint = string.Join('|', query.AccessorAccountId, query.SubjectIdNumber, query.Purpose, Ms(request.From), Ms(request.Until));
        var paging = Paging.Read(violations, request.Page, fingerprint);
        PopulationRequestRules.ThrowIfAny(violations, "The access-log query is invalid.");

        // Agency scope: only reads made by the auditor's unit and the units under it.
        query = query with { AgencyCodes = await scope.AgenciesAsync(context.GetCaller(), context.CancellationToken) };
        var (items, total) = await accessLog.QueryAsync(query, paging.Offset, paging.Size, context.CancellationToken);
        return new QueryDataAccessesResponse
        {
            Entries = { items.Select(AccessLogMapping.ForAuditor) },
            Page = Paging.Info(paging.Offset, items.Count, total, fingerprint),
        };
    }

    public override async Task<QuerySignInsResponse> QuerySignIns(QuerySignInsRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var account = PopulationRequestRules.Blank(request.Account);
        var fingerprint = string.Join('|', account, Ms(request.From), Ms(request.Until));
        var paging = Paging.Read(violations, request.Page, fingerprint);
        PopulationRequestRules.ThrowIfAny(violations, "The sign-in query is invalid.");

        // Agency scope: only sign-ins of officials of the auditor's unit and the units under it (national units: all).
        var units = await scope.SignInUnitsAsync(context.GetCaller(), context.CancellationToken);
        var (items, total) = await signIns.QueryAsync(account, request.From?.ToDateTime(), request.Until?.ToDateTime(),
            units, paging.Offset, paging.Size, context.CancellationToken);
        return new QuerySignInsResponse
        {
            Entries =
            {
                items.Select(s => new SignInEntry
                {
                    At = Timestamp.FromDateTime(DateTime.SpecifyKind(s.OccurredAt, DateTimeKind.Utc)),
                    Account = s.Login ?? s.AccountId?.ToString() ?? string.Empty,
                    Method = s.Method,
                    Succeeded = s.Succeeded,
                    Reason = s.Reason ?? string.Empty,
                    Address = s.Address ?? string.Empty,
                    Actor = s.ActorLogin ?? s.ActorAccountId?.ToString() ?? string.Empty,
                    Detail = s.Detail ?? string.Empty,
                }),
            },
            Page = Paging.Info(paging.Offset, items.Count, total, fingerprint),
        };
    }

    private static string Ms(Timestamp? at) => at is null ? string.Empty : at.ToDateTimeOffset().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
