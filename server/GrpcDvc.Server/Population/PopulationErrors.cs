using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Population;

/// <summary>The statuses the registry rpcs end with, each with a stable ErrorInfo reason portals localise.</summary>
public static class PopulationErrors
{
    public const string OutsideAgencyScopeReason = "OUTSIDE_AGENCY_SCOPE";
    public const string NotOwnRecordReason = "NOT_OWN_RECORD";
    public const string AccessLogUnavailableReason = "ACCESS_LOG_UNAVAILABLE";

    public static RpcException CitizenNotFound(string idNumber)
        => RpcErrors.NotFound("citizen", idNumber, $"No citizen has the personal ID number {idNumber}.");

    public static RpcException OutsideAgencyScope()
        => Denied(OutsideAgencyScopeReason, "The citizen resides outside your agency's units.");

    public static RpcException NotOwnRecord()
        => Denied(NotOwnRecordReason, "A citizen may read only their own record.");

    /// <summary>The access log could not be written, so the data read is not returned; the read may be retried.</summary>
    public static RpcException AccessLogUnavailable()
        => RpcErrors.Create(StatusCode.Unavailable, "The read could not be written to the access log; no data was returned. Try again.",
            new ErrorInfo { Reason = AccessLogUnavailableReason, Domain = RpcErrors.Domain });

    private static RpcException Denied(string reason, string message)
        => RpcErrors.Create(StatusCode.PermissionDenied, message, new ErrorInfo { Reason = reason, Domain = RpcErrors.Domain });
}
