using GrpcDvc.Server.Dossiers;
using GrpcDvc.Server.Dossiers.History;

namespace GrpcDvc.Tests.Dossiers.Tracking;

/// <summary>HistoryChain.Verify on histories in memory: the holes a stored history cannot show (a repeated sequence) and the anchor.</summary>
public sealed class ChainVerifierTests
{
    [Fact]
    public void Verify_OfAChainBuiltByLink_IsIntact()
    {
        var (dossier, events) = History(4);

        var check = HistoryChain.Verify(dossier, events);

        Assert.Equal(new ChainCheck(true, 4, 0, null), check);
    }

    [Fact]
    public void Verify_WithAnEventRepeated_BreaksAtTheRepeatedSequence_NamingIt()
    {
        var (dossier, events) = History(4);

        var check = HistoryChain.Verify(dossier, [events[0], events[1], events[1], events[2], events[3]]);

        Assert.False(check.Intact);
        Assert.Equal(2, check.FirstBrokenSequence);
        Assert.Contains("sequence 2 appears twice", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_WithEveryEventRechainedFromTheStart_IsCaughtByTheAnchor()
    {
        var (dossier, events) = History(3);
        var rewritten = new DossierRecord { Id = dossier.Id, Code = dossier.Code, ProcedureCode = "", UnitCode = "", ApplicantIdNumber = "", ApplicantName = "", Status = "", SubmitRequestId = "", ClockStops = "", Details = "", HistoryHead = HistoryChain.Genesis };
        foreach (var e in events)
        {
            e.Reason = "viết lại";
            HistoryChain.Link(rewritten, e);
        }

        var check = HistoryChain.Verify(dossier, events);

        Assert.False(check.Intact);
        Assert.Equal(3, check.FirstBrokenSequence);
        Assert.Contains("rewritten", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ChainVerifier_FedOneEventAtATime_AgreesWithVerify()
    {
        var (dossier, events) = History(5);
        events[2].Reason = "sửa";
        var verifier = new ChainVerifier(dossier);

        var fed = events.TakeWhile(verifier.Add).Count();

        Assert.Equal(2, fed);
        Assert.Equal(HistoryChain.Verify(dossier, events), verifier.Finish());
        Assert.Equal(3, verifier.Finish().FirstBrokenSequence);
    }

    private static (DossierRecord Dossier, List<DossierEventRecord> Events) History(int count)
    {
        var dossier = new DossierRecord
        {
            Id = Guid.NewGuid(), Code = "T-P01-261102-0001", ProcedureCode = "BCA-L4-03", UnitCode = "T-P01", ApplicantIdNumber = "001190000501",
            ApplicantName = "Nguyễn Thị Nộp", Status = "submitted", SubmitRequestId = "r", ClockStops = "[]", Details = "{}", HistoryHead = HistoryChain.Genesis,
        };
        var events = new List<DossierEventRecord>();
        for (var i = 0; i < count; i++)
        {
            var e = new DossierEventRecord
            {
                At = new DateTimeOffset(2026, 11, 2, 2, i, 0, TimeSpan.Zero), Action = "receive", FromStatus = "submitted", ToStatus = "received",
                ActorName = "Cán bộ", ActorRole = "intake_officer", Documents = "[]", PreviousHash = "", Hash = "",
            };
            HistoryChain.Link(dossier, e);
            events.Add(e);
        }

        return (dossier, events);
    }
}
