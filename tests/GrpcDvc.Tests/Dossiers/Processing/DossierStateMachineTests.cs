using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Dossiers;
using GrpcDvc.Server.Dossiers.Processing;
using ProtoService = GrpcDvc.Contracts.Dossiers.V1.DossierService;

namespace GrpcDvc.Tests.Dossiers.Processing;

/// <summary>
/// The transition table, pair by pair: every action from every status either moves the dossier to the
/// status the law's procedure says or is refused. The expected table is written out here on its own,
/// so a change of the machine's table shows up as a failing pair.
/// </summary>
public sealed class DossierStateMachineTests
{
    private static readonly (DossierAction Action, DossierStatus From, DossierStatus To)[] Allowed =
    [
        (DossierAction.Receive, DossierStatus.Submitted, DossierStatus.Received),
        (DossierAction.StartProcessing, DossierStatus.Received, DossierStatus.Processing),
        (DossierAction.RequestSupplement, DossierStatus.Submitted, DossierStatus.SupplementRequested),
        (DossierAction.RequestSupplement, DossierStatus.Received, DossierStatus.SupplementRequested),
        (DossierAction.RequestSupplement, DossierStatus.Processing, DossierStatus.SupplementRequested),
        (DossierAction.Reject, DossierStatus.Submitted, DossierStatus.Rejected),
        (DossierAction.Reject, DossierStatus.Received, DossierStatus.Rejected),
        (DossierAction.Reject, DossierStatus.Processing, DossierStatus.Rejected),
        (DossierAction.Reject, DossierStatus.SupplementRequested, DossierStatus.Rejected),
        (DossierAction.Approve, DossierStatus.Processing, DossierStatus.Approved),
        (DossierAction.IssueResult, DossierStatus.Approved, DossierStatus.ResultIssued),
        (DossierAction.ReturnResult, DossierStatus.ResultIssued, DossierStatus.ResultReturned),
        (DossierAction.Withdraw, DossierStatus.Submitted, DossierStatus.Withdrawn),
        (DossierAction.Withdraw, DossierStatus.Received, DossierStatus.Withdrawn),
        (DossierAction.MarkOverdue, DossierStatus.Submitted, DossierStatus.Submitted),
        (DossierAction.MarkOverdue, DossierStatus.Received, DossierStatus.Received),
        (DossierAction.MarkOverdue, DossierStatus.Processing, DossierStatus.Processing),
        (DossierAction.MarkOverdue, DossierStatus.Approved, DossierStatus.Approved),
    ];

    /// <summary>The statuses a supplement may return to: where a request to supplement may come from.</summary>
    private static readonly DossierStatus[] Resumable = [DossierStatus.Submitted, DossierStatus.Received, DossierStatus.Processing];

    public static TheoryData<DossierAction, DossierStatus> EveryPair()
    {
        var data = new TheoryData<DossierAction, DossierStatus>();
        foreach (var action in Enum.GetValues<DossierAction>().Where(a => a != DossierAction.Submit && a != DossierAction.Supplement))
        {
            foreach (var status in Enum.GetValues<DossierStatus>())
            {
                data.Add(action, status);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Transition_EveryActionFromEveryStatus_MovesWhereTheTableSaysOrIsRefused(DossierAction action, DossierStatus from)
    {
        var expected = Allowed.Where(t => t.Action == action && t.From == from).Select(t => (DossierStatus?)t.To).SingleOrDefault();

        // The resume status matters only to a supplement; any value must leave the others alone.
        Assert.Equal(expected, DossierStateMachine.Next(action, from, resumeStatus: null));
        Assert.Equal(expected, DossierStateMachine.Next(action, from, resumeStatus: DossierStatus.Processing));
    }

    public static TheoryData<DossierStatus, DossierStatus?> SupplementPairs()
    {
        var data = new TheoryData<DossierStatus, DossierStatus?>();
        foreach (var status in Enum.GetValues<DossierStatus>())
        {
            data.Add(status, null);
            foreach (var resume in Enum.GetValues<DossierStatus>())
            {
                data.Add(status, resume);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SupplementPairs))]
    public void Supplement_OnlyWhileRequested_ReturnsToTheStatusItCameFrom(DossierStatus from, DossierStatus? resume)
    {
        var expected = from == DossierStatus.SupplementRequested && resume is { } r && Resumable.Contains(r) ? resume : null;

        Assert.Equal(expected, DossierStateMachine.Next(DossierAction.Supplement, from, resume));
    }

    [Theory]
    [InlineData(DossierStatus.ResultReturned)]
    [InlineData(DossierStatus.Rejected)]
    [InlineData(DossierStatus.Withdrawn)]
    public void FinalStatus_AnyAction_IsRefused(DossierStatus final)
    {
        Assert.All(DossierStateMachine.Actions, action => Assert.Null(DossierStateMachine.Next(action, final, DossierStatus.Processing)));
    }

    [Fact]
    public void Withdraw_AfterProcessingStarted_IsRefused()
    {
        Assert.Null(DossierStateMachine.Next(DossierAction.Withdraw, DossierStatus.Processing, null));
        Assert.Null(DossierStateMachine.Next(DossierAction.Withdraw, DossierStatus.SupplementRequested, DossierStatus.Submitted));
    }

    public static TheoryData<DossierAction, string> ActionRpcs() => new()
    {
        { DossierAction.Receive, "ReceiveDossier" },
        { DossierAction.StartProcessing, "StartProcessing" },
        { DossierAction.RequestSupplement, "RequestSupplement" },
        { DossierAction.Supplement, "SupplementDossier" },
        { DossierAction.Reject, "RejectDossier" },
        { DossierAction.Approve, "ApproveDossier" },
        { DossierAction.IssueResult, "IssueResult" },
        { DossierAction.ReturnResult, "ReturnResult" },
        { DossierAction.Withdraw, "WithdrawDossier" },
    };

    [Theory]
    [MemberData(nameof(ActionRpcs))]
    public void Roles_OfEachAction_AreThoseOfItsRpcsPolicy(DossierAction action, string rpc)
    {
        var policy = ProtoService.Descriptor.FindMethodByName(rpc).GetOptions().GetExtension(PolicyExtensions.Policy);
        var policyRoles = policy.Roles.ToHashSet();
        if (policy.CitizenSelf)
        {
            policyRoles.Add(Role.Citizen);
        }

        Assert.Equal(policyRoles.Order(), DossierStateMachine.RolesFor(action).Order());
    }

    [Fact]
    public void ActingRole_OfficialWithSeveralRoles_IsTheFirstTheActionAllows()
    {
        Assert.Equal(Role.ProcessingOfficer, DossierStateMachine.ActingRole(DossierAction.IssueResult, [Role.Auditor, Role.ApprovingLeader, Role.ProcessingOfficer]));
        Assert.Null(DossierStateMachine.ActingRole(DossierAction.Approve, [Role.IntakeOfficer, Role.ProcessingOfficer]));
    }

    [Fact]
    public void Refusal_NamesTheCurrentStatusInVietnamese()
    {
        var refusal = ProcessingErrors.TransitionRefused("X0001-261130-0001", DossierAction.Approve, DossierStatus.Received);

        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, refusal.StatusCode);
        Assert.Contains("Đã tiếp nhận", refusal.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("Đang xử lý", refusal.Status.Detail, StringComparison.Ordinal);
    }
}
