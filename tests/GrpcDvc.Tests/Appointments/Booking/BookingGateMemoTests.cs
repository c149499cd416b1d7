using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Appointments.Booking;
using Microsoft.Extensions.Time.Testing;

namespace GrpcDvc.Tests.Appointments.Booking;

/// <summary>The full-session memo of an instance stays as small as what the last moments found full.</summary>
public sealed class BookingGateMemoTests
{
    private static readonly DateOnly Day = new(2026, 12, 3);
    private static readonly BookingOptions Options = new() { FullMemo = TimeSpan.FromSeconds(1) };
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.Zero));

    [Fact]
    public void SessionsFoundFull_AreForgottenOnceTheirMemoEnds_EvenIfNobodyAsksForThemAgain()
    {
        using var gate = new BookingGate(Options, _time, new NearbyOffers(Options, _time));
        for (var i = 1; i <= 1_000; i++)
        {
            gate.RememberFull(Session(i), "BCA-L3-01", new OpenSessions());
        }

        _time.Advance(TimeSpan.FromSeconds(2));
        gate.RememberFull(Session(1_001), "BCA-L3-01", new OpenSessions());

        Assert.Equal(1, gate.Remembered);
        Assert.NotNull(gate.KnownFull("ST-1001", Day, 1, "BCA-L3-01"));
    }

    [Fact]
    public void ASessionFoundFull_IsRefusedFromTheMemoUntilItEnds_ThenAskedOfTheDatabaseAgain()
    {
        using var gate = new BookingGate(Options, _time, new NearbyOffers(Options, _time));
        gate.RememberFull(Session(7), "BCA-L3-01", new OpenSessions());

        Assert.NotNull(gate.KnownFull("ST-7", Day, 1, "BCA-L3-01"));
        Assert.Null(gate.KnownFull("ST-7", Day, 1, "BCA-L3-02")); // per procedure: another one's offers differ
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(gate.KnownFull("ST-7", Day, 1, "BCA-L3-01"));
    }

    private static BookedSession Session(int n) => new(
        new StationSessionRecord { Id = n, StationId = $"ST-{n}", Date = Day, Part = 1 },
        new StationRecord { Id = $"ST-{n}", Name = $"Trạm {n}", Kind = "fixed", UnitCode = "P34-01", CommuneCode = "P34-01-01", Address = "1 Tràng Tiền", CreateRequestId = "r" });
}
