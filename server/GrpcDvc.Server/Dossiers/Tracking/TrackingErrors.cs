using Grpc.Core;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Dossiers.Tracking;

/// <summary>The statuses the reads end with; the scope refusals carry the registry's reasons, so portals handle both alike.</summary>
public static class TrackingErrors
{
    public const string WatchLimitReason = "WATCH_LIMIT";

    public static RpcException DossierNotFound(string code)
        => RpcErrors.NotFound("dossier", code, $"No dossier has the code '{code}'.");

    /// <summary>
    /// A citizen asking for a dossier that is not theirs, or for a code that is nobody's: one answer for
    /// both, so a citizen cannot learn which codes exist (as the registry answers an old number).
    /// </summary>
    public static RpcException NotOwnDossier()
        => AccessErrors.PermissionDenied(AccessReasons.NotOwnRecord, "A citizen may read only their own dossiers.");

    public static RpcException OutsideAgency()
        => AccessErrors.PermissionDenied(AccessReasons.OutsideAgency, "This dossier belongs to a unit outside your agency unit and the units under it.");

    public static RpcException UnitOutsideAgency(string unitCode)
        => AccessErrors.PermissionDenied(AccessReasons.OutsideAgency, $"The unit {unitCode} is outside your agency unit and the units under it.");

    /// <summary>TrackDossier's one answer for an unknown code and a code given with another procedure.</summary>
    public static RpcException NotTracked()
        => RpcErrors.NotFound("dossier", "", "No dossier has this code and procedure.");

    public static RpcException TooManyWatches(int max)
        => RpcErrors.Create(StatusCode.ResourceExhausted, $"You already watch {max} dossiers; end a watch before starting another.", RpcErrors.Reason(WatchLimitReason));

    public static RpcException CodeRequired()
        => RpcErrors.InvalidArgument("A dossier code is required.", new FieldViolation("code", "Must not be empty.", "REQUIRED"));
}
