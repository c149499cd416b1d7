namespace GrpcDvc.Server.Dossiers;

/// <summary>What happened to a dossier: one per business call, stored by code in its history.</summary>
public enum DossierAction
{
    Submit = 1,
    Receive = 2,
    StartProcessing = 3,
    RequestSupplement = 4,
    Supplement = 5,
    Reject = 6,
    Approve = 7,
    IssueResult = 8,
    ReturnResult = 9,
    Withdraw = 10,
    MarkOverdue = 11,
}

public static class DossierActions
{
    /// <summary>The code stored in dossier_events.action (stable: the hash chain covers it).</summary>
    public static string Code(DossierAction action) => action switch
    {
        DossierAction.Submit => "submit",
        DossierAction.Receive => "receive",
        DossierAction.StartProcessing => "start_processing",
        DossierAction.RequestSupplement => "request_supplement",
        DossierAction.Supplement => "supplement",
        DossierAction.Reject => "reject",
        DossierAction.Approve => "approve",
        DossierAction.IssueResult => "issue_result",
        DossierAction.ReturnResult => "return_result",
        DossierAction.Withdraw => "withdraw",
        DossierAction.MarkOverdue => "mark_overdue",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Not a dossier action."),
    };

    public static DossierAction Parse(string code)
    {
        foreach (var action in Enum.GetValues<DossierAction>())
        {
            if (Code(action) == code)
            {
                return action;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(code), code, "Not a dossier action code.");
    }
}
