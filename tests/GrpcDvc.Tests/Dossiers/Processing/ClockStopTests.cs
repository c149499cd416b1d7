using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Dossiers.Processing;
using GrpcDvc.Tests.Calendar;

namespace GrpcDvc.Tests.Dossiers.Processing;

/// <summary>The clock stops as dossiers store them, and the due date they move.</summary>
public sealed class ClockStopTests
{
    [Fact]
    public void Stops_OpenedThenClosed_RoundTripAsPairsOfMilliseconds()
    {
        var stops = ClockStops.Parse("[]");
        var from = CalendarFixtures.Vn(2026, 11, 3, 9);
        stops.Open(from);
        stops.Open(from.AddHours(1));

        Assert.Equal($"[[{from.ToUnixTimeMilliseconds()},null]]", stops.ToJson());
        Assert.Empty(stops.Closed());

        var waited = stops.Close(from.AddDays(1));

        Assert.Equal(TimeSpan.FromDays(1), waited);
        var again = ClockStops.Parse(stops.ToJson());
        Assert.False(again.HasOpenStop);
        Assert.Equal(new ClockStop(from, from.AddDays(1)), Assert.Single(again.Closed()));
    }

    [Fact]
    public void Close_WithNoOpenStop_ChangesNothing()
    {
        var stops = ClockStops.Parse("[[1000,2000]]");

        Assert.Equal(TimeSpan.Zero, stops.Close(DateTimeOffset.UnixEpoch.AddSeconds(10)));
        Assert.Equal("[[1000,2000]]", stops.ToJson());
    }

    [Fact]
    public void Deadline_ResidenceDossierWaitingADayForASupplement_EndsThreeSessionsLater_OnSaturdayMorning()
    {
        // Submitted Monday 2 November 2026 09:00: 3 working days end Thursday 17:00 without a stop. The wait from
        // Tuesday 09:00 to Wednesday 09:00 touches Tuesday's two sessions and Wednesday morning; residence counts
        // Saturday morning as the sixth session.
        var submitted = CalendarFixtures.Vn(2026, 11, 2, 9);
        var stops = ClockStops.Parse("[]");
        stops.Open(CalendarFixtures.Vn(2026, 11, 3, 9));
        stops.Close(CalendarFixtures.Vn(2026, 11, 4, 9));

        var due = Deadlines.DueAfterWorkingDays(submitted, 3, CalendarFixtures.ResidenceHours, CalendarFixtures.Working, stops.Closed());

        Assert.Equal(CalendarFixtures.Vn(2026, 11, 7, 11, 30), due);
        Assert.Equal(CalendarFixtures.Vn(2026, 11, 5, 17), Deadlines.DueAfterWorkingDays(submitted, 3, CalendarFixtures.ResidenceHours, CalendarFixtures.Working, []));
    }
}
