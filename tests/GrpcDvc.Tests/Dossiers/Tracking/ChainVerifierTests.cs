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

    [Fact]
    public void HashOf_IsSha256OfTheLengthPrefixedLayout_AsText_ForNullEmptyAndVietnameseFields()
    {
        var e = new DossierEventRecord
        {
            Sequence = 7, At = new DateTimeOffset(2026, 2, 17, 3, 4, 5, 678, TimeSpan.Zero), Action = "reject", FromStatus = null, ToStatus = "rejected",
            ActorId = Guid.Parse("5b0c4b1e-8f57-4a7e-9f0c-2d1b3c4d5e6f"), ActorName = "Đặng Thị Ánh", ActorRole = "approving_leader", UnitCode = "",
            Reason = "Thiếu giấy tờ chứng minh chỗ ở hợp pháp 😀", Documents = """["Tờ khai CT01"]""", PreviousHash = new string('a', 64), Hash = "",
        };
        string?[] fields = ["dvc.dossier-event.v1", e.PreviousHash, "T-P01-260217-0007", "7", e.At.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "reject", null, "rejected", "5b0c4b1e-8f57-4a7e-9f0c-2d1b3c4d5e6f", e.ActorName, "approving_leader", "", e.Reason, e.Documents];
        var layout = string.Concat(fields.Select(f => $"{(f is null ? "-1" : f.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))}:{f}\n"));
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(layout)));

        Assert.Equal(expected, HistoryChain.HashOf("T-P01-260217-0007", e));
    }

    [Fact]
    public void ChainVerifier_GivenBatchesHashedInParallel_FindsTheSameBreakAsOneByOne()
    {
        var (dossier, events) = History(3000);
        events[2345].ActorName = "Người khác";
        var batched = new ChainVerifier(dossier);

        var unbroken = batched.AddBatch(events[..1000]) && batched.AddBatch(events[1000..2000]) && batched.AddBatch(events[2000..]);

        Assert.False(unbroken);
        Assert.Equal(HistoryChain.Verify(dossier, events), batched.Finish());
        Assert.Equal(2346, batched.Finish().FirstBrokenSequence);
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
                At = new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero).AddMinutes(i), Action = "receive", FromStatus = "submitted", ToStatus = "received",
                ActorName = "Cán bộ", ActorRole = "intake_officer", Documents = "[]", PreviousHash = "", Hash = "",
            };
            HistoryChain.Link(dossier, e);
            events.Add(e);
        }

        return (dossier, events);
    }
}
