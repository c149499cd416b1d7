using GrpcDvc.Contracts.Auth.V1;

namespace GrpcDvc.Server.Dossiers.Processing;

/// <summary>
/// The transition table of a dossier: which action moves it from which status to which, and who
/// may make the move. Pure: the rpcs read the dossier, ask here, and write what this answers.
/// The gate has already checked the caller's roles against the proto policy; the roles here are
/// the same (a test holds them to the policy) and decide which role an official acted in.
/// <list type="bullet">
/// <item>Withdraw: only before processing (from submitted or received).</item>
/// <item>Request supplement: from submitted, received or processing; the dossier waits with the clock
/// stopped and remembers where it came from (dossiers.resume_status).</item>
/// <item>Supplement: only while a supplement is requested, back to the status it came from.</item>
/// <item>Final statuses (returned, rejected, withdrawn) change no more.</item>
/// </list>
/// </summary>
public static class DossierStateMachine
{
    private static readonly Role[] Citizen = [Role.Citizen];

    /// <summary>Action → (the statuses it may start from, the roles that may make it). The target is in <see cref="TargetOf"/>.</summary>
    private static readonly Dictionary<DossierAction, (DossierStatus[] From, Role[] Roles)> Table = new()
    {
        [DossierAction.Receive] = ([DossierStatus.Submitted], [Role.IntakeOfficer]),
        [DossierAction.StartProcessing] = ([DossierStatus.Received], [Role.ProcessingOfficer]),
        [DossierAction.RequestSupplement] = (
            [DossierStatus.Submitted, DossierStatus.Received, DossierStatus.Processing],
            [Role.IntakeOfficer, Role.ProcessingOfficer]),
        [DossierAction.Supplement] = ([DossierStatus.SupplementRequested], Citizen),
        [DossierAction.Reject] = (
            [DossierStatus.Submitted, DossierStatus.Received, DossierStatus.Processing, DossierStatus.SupplementRequested],
            [Role.IntakeOfficer, Role.ProcessingOfficer, Role.ApprovingLeader]),
        [DossierAction.Approve] = ([DossierStatus.Processing], [Role.ApprovingLeader]),
        [DossierAction.IssueResult] = ([DossierStatus.Approved], [Role.ProcessingOfficer, Role.ApprovingLeader]),
        [DossierAction.ReturnResult] = ([DossierStatus.ResultIssued], [Role.IntakeOfficer, Role.ProcessingOfficer]),
        [DossierAction.Withdraw] = ([DossierStatus.Submitted, DossierStatus.Received], Citizen),
        // The sweep's flag changes no status; a dossier waiting for the citizen or holding its result is not late.
        [DossierAction.MarkOverdue] = ([DossierStatus.Submitted, DossierStatus.Received, DossierStatus.Processing, DossierStatus.Approved], []),
    };

    /// <summary>The actions an rpc makes (every action but the submission, which creates the dossier).</summary>
    public static IReadOnlyCollection<DossierAction> Actions => Table.Keys;

    /// <summary>The roles that may make <paramref name="action"/>, in the policy's order; none for the system's own actions.</summary>
    public static IReadOnlyList<Role> RolesFor(DossierAction action) => Entry(action).Roles;

    /// <summary>The statuses <paramref name="action"/> may start from.</summary>
    public static IReadOnlyList<DossierStatus> AllowedFrom(DossierAction action) => Entry(action).From;

    /// <summary>
    /// Where <paramref name="action"/> takes a dossier now in <paramref name="current"/>; null when the
    /// action is not allowed from there. <paramref name="resumeStatus"/> is dossiers.resume_status (the
    /// supplement returns there).
    /// </summary>
    public static DossierStatus? Next(DossierAction action, DossierStatus current, DossierStatus? resumeStatus)
    {
        if (DossierStatuses.IsFinal(current) || !Entry(action).From.Contains(current))
        {
            return null;
        }

        if (action == DossierAction.Supplement)
        {
            // A supplement goes back to where the request found the dossier, and only to a status a request can come from.
            return resumeStatus is { } resume && Entry(DossierAction.RequestSupplement).From.Contains(resume) ? resume : null;
        }

        return TargetOf(action, current);
    }

    /// <summary>The role the caller acts in for <paramref name="action"/>: the first of the action's roles they hold; null when none.</summary>
    public static Role? ActingRole(DossierAction action, IReadOnlyCollection<Role> callerRoles)
    {
        foreach (var role in Entry(action).Roles)
        {
            if (callerRoles.Contains(role))
            {
                return role;
            }
        }

        return null;
    }

    private static DossierStatus TargetOf(DossierAction action, DossierStatus current) => action switch
    {
        DossierAction.Receive => DossierStatus.Received,
        DossierAction.StartProcessing => DossierStatus.Processing,
        DossierAction.RequestSupplement => DossierStatus.SupplementRequested,
        DossierAction.Reject => DossierStatus.Rejected,
        DossierAction.Approve => DossierStatus.Approved,
        DossierAction.IssueResult => DossierStatus.ResultIssued,
        DossierAction.ReturnResult => DossierStatus.ResultReturned,
        DossierAction.Withdraw => DossierStatus.Withdrawn,
        DossierAction.MarkOverdue => current,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "No fixed target."),
    };

    private static (DossierStatus[] From, Role[] Roles) Entry(DossierAction action)
        => Table.TryGetValue(action, out var entry)
            ? entry
            : throw new ArgumentOutOfRangeException(nameof(action), action, "Not an action of the state machine.");
}
