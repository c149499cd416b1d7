using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Appointments.Booking;
using GrpcDvc.Server.Appointments.Slots;
using Microsoft.Extensions.Time.Testing;

namespace GrpcDvc.Tests.Appointments.Booking;

/// <summary>
/// The offers an instance remembers for an area answer another full session's refusal only when they are
/// exactly what the offers query would read now (but for the memo's age): never for an earlier day, never
/// short of a session the read left out, never the full session itself, and not past the memo's span.
/// </summary>
public sealed class NearbyOffersTests
{
    private const string Procedure = "BCA-L3-01";
    private static readonly DateOnly Day = new(2026, 12, 3);
    private static readonly SlotArea Area = SlotArea.Units([7, 70]);
    private static readonly BookingOptions Options = new() { FullMemo = TimeSpan.FromSeconds(1) };
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.Zero));

    [Fact]
    public void AReadThatFoundEveryOpenSession_AnswersForItsDayAndLater_LeavingOutTheFullSession_UntilTheMemoEnds()
    {
        var offers = new NearbyOffers(Options, _time);
        offers.Remember(Area, Procedure, Day, [Slot(1, Day), Slot(2, Day.AddDays(2))], asked: 6);

        Assert.Equal([1L, 2L], Ids(offers.Find(Area, Procedure, Day, exceptSessionId: 9, take: 5)));
        Assert.Equal([2L], Ids(offers.Find(Area, Procedure, Day, exceptSessionId: 1, take: 5)));
        Assert.Equal([2L], Ids(offers.Find(Area, Procedure, Day.AddDays(1), exceptSessionId: 9, take: 5)));
        Assert.Empty(offers.Find(Area, Procedure, Day.AddDays(3), exceptSessionId: 9, take: 5)!);
        Assert.Null(offers.Find(Area, Procedure, Day.AddDays(-1), exceptSessionId: 9, take: 5)); // an earlier day was not read
        Assert.Null(offers.Find(Area, "BCA-L3-02", Day, exceptSessionId: 9, take: 5)); // another procedure's stations differ
        Assert.Null(offers.Find(SlotArea.Units([8, 80]), Procedure, Day, exceptSessionId: 9, take: 5));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(offers.Find(Area, Procedure, Day, exceptSessionId: 9, take: 5));
    }

    [Fact]
    public void AReadCutShortAtWhatItAskedFor_AnswersOnlyWhileItStillHoldsEnoughFromTheDay()
    {
        var offers = new NearbyOffers(Options, _time);
        offers.Remember(Area, Procedure, Day, [Slot(1, Day), Slot(2, Day), Slot(3, Day.AddDays(1))], asked: 3);

        Assert.Equal([1L, 2L], Ids(offers.Find(Area, Procedure, Day, exceptSessionId: 9, take: 2)));
        Assert.Equal([1L, 3L], Ids(offers.Find(Area, Procedure, Day, exceptSessionId: 2, take: 2)));
        // Sessions after the third may exist: two from the next day, or two without the first, cannot be told from memory.
        Assert.Null(offers.Find(Area, Procedure, Day.AddDays(1), exceptSessionId: 9, take: 2));
        Assert.Null(offers.Find(Area, Procedure, Day, exceptSessionId: 1, take: 3));
    }

    [Fact]
    public void AFreedPlace_OrAMemoOfZero_LeavesEveryRefusalToTheQuery()
    {
        var offers = new NearbyOffers(Options, _time);
        offers.Remember(Area, Procedure, Day, [], asked: 6);
        Assert.NotNull(offers.Find(Area, Procedure, Day, exceptSessionId: 9, take: 5));

        offers.Forget();
        var never = new NearbyOffers(new BookingOptions { FullMemo = TimeSpan.Zero }, _time);
        never.Remember(Area, Procedure, Day, [], asked: 6);

        Assert.Null(offers.Find(Area, Procedure, Day, exceptSessionId: 9, take: 5));
        Assert.Null(never.Find(Area, Procedure, Day, exceptSessionId: 9, take: 5));
    }

    [Fact]
    public void AreasRemembered_AreForgottenOnceTheirMemoEnds_EvenIfNobodyAsksForThemAgain()
    {
        var offers = new NearbyOffers(Options, _time);
        for (var unit = 1; unit <= 1_000; unit++)
        {
            offers.Remember(SlotArea.Units([unit]), Procedure, Day, [], asked: 6);
        }

        _time.Advance(TimeSpan.FromSeconds(2));
        offers.Remember(Area, Procedure, Day, [], asked: 6);

        Assert.Equal(1, offers.Remembered);
    }

    [Fact]
    public void ABookingGateFreeingAPlace_ForgetsTheOffersAroundIt()
    {
        var offers = new NearbyOffers(Options, _time);
        using var gate = new BookingGate(Options, _time, offers);
        offers.Remember(Area, Procedure, Day, [], asked: 6);

        gate.Freed(sessionId: 1);

        Assert.Null(offers.Find(Area, Procedure, Day, exceptSessionId: 9, take: 5));
    }

    private static long[] Ids(IReadOnlyList<OpenSlot>? slots) => [.. Assert.IsAssignableFrom<IReadOnlyList<OpenSlot>>(slots).Select(s => s.Session.Id)];

    private static OpenSlot Slot(long id, DateOnly date) => new(
        new StationSessionRecord { Id = id, StationId = "ST-1", Date = date, Part = 1 },
        new StationRecord { Id = "ST-1", Name = "Trạm 1", Kind = "fixed", UnitCode = "P34-01", CommuneCode = "P34-01-01", Address = "1 Tràng Tiền", CreateRequestId = "r" });
}
