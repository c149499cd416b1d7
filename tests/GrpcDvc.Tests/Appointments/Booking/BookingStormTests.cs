using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Appointments.Booking;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static GrpcDvc.Tests.Appointments.Booking.BookingWorld;

namespace GrpcDvc.Tests.Appointments.Booking;

/// <summary>
/// Never overbook: 500 distinct citizens book one session of 50 places at once, through the real
/// server and its admission gate (a turned-away call is retried with its request id, as a client
/// does). Exactly 50 holds, booked = 50 = the active rows, everyone else RESOURCE_EXHAUSTED with
/// QuotaFailure. Once per provider; on PostgreSQL the racing holds go in batches (SessionHoldLines).
/// </summary>
public abstract class BookingStormTests : IAsyncLifetime
{
    private const int Citizens = 500;
    private const int Capacity = 50;

    protected BookingWorld World { get; private set; } = null!;

    public async Task InitializeAsync() => World = await BookingWorld.StartAsync(await PostgresAsync());

    public async Task DisposeAsync() => await World.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    [Fact]
    public async Task Storm_500CitizensFor50Places_ExactlyFiftyHoldsAndEveryoneElseIsToldFull()
    {
        var station = await World.StationAsync();
        var session = await World.SessionAsync(station, Capacity);
        var callers = Enumerable.Range(1, Citizens).Select(World.Citizen).ToList();
        using var start = new SemaphoreSlim(0);

        var attempts = callers.Select(caller => Task.Run(async () =>
        {
            await start.WaitAsync();
            try
            {
                return (Held: await World.BookRetryingAsync(caller, Request(station)), Refused: (RpcException?)null);
            }
            catch (RpcException e)
            {
                return (Held: (Appointment?)null, Refused: e);
            }
        })).ToList();
        start.Release(Citizens);
        var outcomes = await Task.WhenAll(attempts);

        var held = outcomes.Where(o => o.Held is not null).Select(o => o.Held!).ToList();
        var refused = outcomes.Where(o => o.Refused is not null).Select(o => o.Refused!).ToList();
        Assert.Equal(Capacity, held.Count);
        Assert.Equal(Capacity, held.Select(a => a.AppointmentId).Distinct().Count());
        Assert.All(held, a => Assert.Equal(AppointmentStatus.Held, a.Status));
        Assert.Equal(Citizens - Capacity, refused.Count);
        Assert.All(refused, e =>
        {
            Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
            Assert.Equal($"station_sessions/{session}", Assert.Single(e.GetRpcStatus()!.GetDetail<QuotaFailure>()!.Violations).Subject);
        });
        Assert.Equal((Capacity, Capacity), await World.PlacesAsync(session));
        Assert.Equal(Capacity, await World.Server.WithDbAsync(db => db.Set<AppointmentRecord>().CountAsync()));
        AssertBatches(World.Service<SessionHoldLines>().Batched);
    }

    /// <summary>How the places were taken: on PostgreSQL the holds racing for the session went in batches.</summary>
    protected abstract void AssertBatches(long batched);
}

public sealed class BookingStormOnSqliteTests : BookingStormTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);

    // SQLite takes one writer at a time anyway: each hold is its own transaction.
    protected override void AssertBatches(long batched) => Assert.Equal(0, batched);
}

[Collection(PostgresCollection.Name)]
public sealed class BookingStormOnPostgresTests(PostgresCluster cluster) : BookingStormTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();

    // Fifty places raced for by 500: holds arriving while one is under way share the next statement.
    protected override void AssertBatches(long batched) => Assert.True(batched > 1, $"No holds went in a batch ({batched}).");
}
