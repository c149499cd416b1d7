using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Appointments.Slots;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Tests.Appointments.Booking;
using GrpcDvc.Tests.Population;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static GrpcDvc.Tests.Appointments.Booking.BookingWorld;

namespace GrpcDvc.Tests.Appointments.Slots;

/// <summary>
/// The sessions offered with a full session's refusal come from a compiled query of their own
/// (<see cref="OpenSlotQuery.NearAsync"/>), not from the general one FindOpenSlots uses: the two must
/// offer the same sessions in the same order, on both providers. The fixture has one session of each
/// kind the rule leaves out, beside the ones it offers.
/// </summary>
public abstract class OpenSlotQueryTests : IAsyncLifetime
{
    private BookingWorld World { get; set; } = null!;

    public async Task InitializeAsync() => World = await BookingWorld.StartAsync(await PostgresAsync());

    public async Task DisposeAsync() => await World.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    [Fact]
    public async Task Near_OffersWhatFindOffersForTheStationsUnitAndCommune_ExceptTheFullSession_EarliestFirst()
    {
        var station = await World.StationAsync();
        var full = await World.SessionAsync(station, 2, booked: 2);
        var afternoon = await World.SessionAsync(station, 3, part: SessionPart.Afternoon);
        var nextDay = await World.SessionAsync(station, 3, Day.AddDays(1));
        await World.SessionAsync(station, 3, Day.AddDays(2), closed: true);
        await World.SessionAsync(station, 3, Day.AddDays(2), SessionPart.Afternoon, booked: 3);
        await World.SessionAsync(station, 3, Day.AddDays(3), opensAt: Now.AddDays(1));
        await World.SessionAsync(station, 3, Day.AddDays(-1));
        // A station of the full station's commune, and one whose commune is the full station's district: offered.
        var inCommune = await World.SessionAsync(await World.StationAsync(unitCode: RegistryTestData.CommuneA, communeCode: RegistryTestData.CommuneA), 1, Day.AddDays(4));
        var districtAsCommune = await World.SessionAsync(
            await World.StationAsync(unitCode: RegistryTestData.ProvinceB, communeCode: RegistryTestData.DistrictA), 1, Day.AddDays(5));
        // Elsewhere, not taking bookings, not taking the procedure: not offered.
        await World.SessionAsync(await World.StationAsync(unitCode: RegistryTestData.ProvinceB, communeCode: RegistryTestData.CommuneB), 5);
        await World.SessionAsync(await World.StationAsync(accepting: false), 5);
        var notTaking = await World.StationAsync();
        await World.Server.WithDbAsync(db => db.Set<StationProcedureRecord>().Where(p => p.StationId == notTaking && p.ProcedureCode == Procedure).ExecuteDeleteAsync());
        await World.SessionAsync(notTaking, 5);

        var (near, found, firstTwo) = await World.Server.WithDbAsync(async db =>
        {
            var unit = await db.Set<AdministrativeUnitRow>().SingleAsync(u => u.Code == RegistryTestData.DistrictA);
            var commune = await db.Set<AdministrativeUnitRow>().SingleAsync(u => u.Code == RegistryTestData.CommuneA);
            return (Ids(await OpenSlotQuery.NearAsync(db, unit.Id, commune.Id, Procedure, Day, Now, 100, full, default)),
                Ids(await OpenSlotQuery.FindAsync(db, SlotArea.Units([unit.Id, commune.Id]), Procedure, Day, Now, 100, default, full)),
                Ids(await OpenSlotQuery.NearAsync(db, unit.Id, commune.Id, Procedure, Day, Now, 2, full, default)));
        });

        Assert.Equal([afternoon, nextDay, inCommune, districtAsCommune], near);
        Assert.Equal(found, near);
        Assert.Equal([afternoon, nextDay], firstTwo);
    }

    private static long[] Ids(IReadOnlyList<OpenSlot> slots) => [.. slots.Select(s => s.Session.Id)];
}

public sealed class OpenSlotQueryOnSqliteTests : OpenSlotQueryTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class OpenSlotQueryOnPostgresTests(PostgresCluster cluster) : OpenSlotQueryTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
