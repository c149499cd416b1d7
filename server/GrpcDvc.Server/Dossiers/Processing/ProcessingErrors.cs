using System.Globalization;
using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Dossiers.Processing;

/// <summary>Stable reason codes (ErrorInfo.reason) of the state machine's refusals. Never rename one, only add.</summary>
public static class ProcessingReasons
{
    /// <summary>The action is not allowed from the dossier's current status (FAILED_PRECONDITION).</summary>
    public const string TransitionNotAllowed = "DOSSIER_TRANSITION_NOT_ALLOWED";

    /// <summary>The dossier changed since the version the caller saw, or while this change ran (ABORTED).</summary>
    public const string VersionConflict = "DOSSIER_VERSION_CONFLICT";

    /// <summary>The request id was already used for another kind of change of this dossier.</summary>
    public const string RequestIdReused = "REQUEST_ID_REUSED";

    /// <summary>The completed procedure's effect on the registry cannot be made (FAILED_PRECONDITION; nothing changed).</summary>
    public const string RegistryEffectFailed = "REGISTRY_EFFECT_FAILED";
}

/// <summary>The statuses the processing rpcs end with besides INVALID_ARGUMENT.</summary>
public static class ProcessingErrors
{
    public static RpcException DossierNotFound(string code)
        => RpcErrors.NotFound("dossier", code, $"No dossier has the code {code}.");

    /// <summary>FAILED_PRECONDITION naming the current status, in Vietnamese as citizens read it too.</summary>
    public static RpcException TransitionRefused(string code, DossierAction action, DossierStatus current)
    {
        var allowed = DossierStateMachine.AllowedFrom(action);
        var why = DossierStatuses.IsFinal(current)
            ? "it is final and changes no more"
            : $"{ActionName(action)} is allowed only from {string.Join(", ", allowed.Select(s => $"{DossierStatuses.Code(s)} ({DossierStatuses.NameVi(s)})"))}";
        var message = $"Dossier {code} is {DossierStatuses.Code(current)} ({DossierStatuses.NameVi(current)}): {why}.";
        return RpcErrors.Create(StatusCode.FailedPrecondition, message,
            new PreconditionFailure
            {
                Violations = { new PreconditionFailure.Types.Violation { Type = ProcessingReasons.TransitionNotAllowed, Subject = code, Description = message } },
            },
            Info(ProcessingReasons.TransitionNotAllowed, current, null));
    }

    /// <summary>ABORTED with the dossier's current status and version, in the message and in ErrorInfo.metadata.</summary>
    public static RpcException VersionConflict(string code, DossierStatus current, long currentVersion, long expectedVersion)
    {
        var seen = expectedVersion > 0 ? $"version {expectedVersion.ToString(CultureInfo.InvariantCulture)} was seen" : "it changed while this change ran";
        var message = $"Dossier {code} changed ({seen}): it is now {DossierStatuses.Code(current)} ({DossierStatuses.NameVi(current)}), version {currentVersion.ToString(CultureInfo.InvariantCulture)}. Read it again and decide anew.";
        return RpcErrors.Create(StatusCode.Aborted, message, Info(ProcessingReasons.VersionConflict, current, currentVersion));
    }

    public static RpcException RegistryEffectFailed(string code, string problem)
        => RpcErrors.FailedPrecondition(ProcessingReasons.RegistryEffectFailed, code,
            $"The result of dossier {code} cannot be recorded in the population registry: {problem}. Nothing was changed.");

    private static ErrorInfo Info(string reason, DossierStatus current, long? version)
    {
        var info = RpcErrors.Reason(reason);
        info.Metadata["status"] = DossierStatuses.Code(current);
        info.Metadata["status_name"] = DossierStatuses.NameVi(current);
        if (version is { } v)
        {
            info.Metadata["version"] = v.ToString(CultureInfo.InvariantCulture);
        }

        return info;
    }

    private static string ActionName(DossierAction action) => action switch
    {
        DossierAction.Receive => "ReceiveDossier",
        DossierAction.StartProcessing => "StartProcessing",
        DossierAction.RequestSupplement => "RequestSupplement",
        DossierAction.Supplement => "SupplementDossier",
        DossierAction.Reject => "RejectDossier",
        DossierAction.Approve => "ApproveDossier",
        DossierAction.IssueResult => "IssueResult",
        DossierAction.ReturnResult => "ReturnResult",
        DossierAction.Withdraw => "WithdrawDossier",
        _ => DossierActions.Code(action),
    };
}
