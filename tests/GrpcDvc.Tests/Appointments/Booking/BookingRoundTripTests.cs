using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Tests.Population;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using GrpcDvc.Server.Appointments.Booking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using static GrpcDvc.Tests.Appointments.Booking.BookingWorld;

namespace GrpcDvc.Tests.Appointments.Booking;

/// <summary>
/// What one BookAppointment sends to the database, pinned, because in a storm each round trip is
/// paid thousands of times. A booking that gets its place: one read of everything it needs (session,
/// station, whether it takes the procedure, an earlier answer to the request id, the citizen's name),
/// then on PostgreSQL one statement that takes the place and inserts the hold (no BEGIN, no COMMIT),
/// on SQLite the conditional update and the insert in a transaction. A session found full: that read
/// and the query for the sessions to offer; once the instance remembers it full, only the request id
/// is looked up. Once per provider.
/// </summary>
public abstract class BookingRoundTripTests : IAsyncLifetime
{
    private const string BookRpc = "/dvc.appointments.v1.AppointmentService/BookAppointment";

    private BookingWorld World { get; set; } = null!;

    public async Task InitializeAsync() => World = await BookingWorld.StartWithAsync(await PostgresAsync(), DatabaseCalls.Register);

    public async Task DisposeAsync() => await World.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    protected abstract bool OnPostgres { get; }

    private DatabaseCalls Calls => World.Service<DatabaseCalls>();

    [Fact]
    public async Task Book_APlace_IsOneReadAndTheHoldWritten()
    {
        var station = await WarmAsync();
        await World.SessionAsync(station, capacity: 5);
        var caller = await CitizenWithAccountAsync(2, "Lê Thị Hẹn");

        var held = await World.BookAsync(caller, Request(station));

        Assert.Equal(("Lê Thị Hẹn", 1), (held.FullName, held.Slot.Booked));
        var sent = Calls.LastCall(BookRpc);
        var expected = OnPostgres ? 1 : 5;
        Assert.True(sent.Count == expected, $"Expected {expected} commands, got {sent.Count}:\n{string.Join("\n---\n", sent)}");
        AssertLook(sent[0]);
        if (OnPostgres)
        {
            // Alone on its session, the booking reads and holds in one statement.
            Assert.Contains("UPDATE station_sessions", sent[0], StringComparison.Ordinal);
            Assert.Contains("INSERT INTO appointments", sent[0], StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(DatabaseCalls.Begin, sent[1]);
            Assert.StartsWith("UPDATE", sent[2].TrimStart(), StringComparison.Ordinal);
            Assert.Contains("INSERT INTO \"appointments\"", sent[3], StringComparison.Ordinal);
            Assert.Equal(DatabaseCalls.Commit, sent[4]);
        }
    }

    /// <summary>
    /// PostgreSQL's one statement spells out the appointment's columns beside the EF model (SQLite's
    /// insert is EF Core's own). A column added to the model as required, or renamed, must reach that
    /// list, or every booking on PostgreSQL fails (or writes a default) while SQLite passes.
    /// </summary>
    [Fact]
    public async Task Book_APlace_TheHoldsInsertNamesEveryRequiredColumnOfTheModel_AndOnlyItsColumns()
    {
        var station = await WarmAsync();
        await World.SessionAsync(station, capacity: 5);
        await World.BookAsync(await CitizenWithAccountAsync(3, "Phan Văn Giữ"), Request(station));

        var insert = Calls.LastCall(BookRpc).Single(sql => sql.Contains("INSERT INTO", StringComparison.Ordinal));
        var listed = System.Text.RegularExpressions.Regex.Match(insert, @"INSERT INTO ""?appointments""? \(([^)]*)\)").Groups[1].Value
            .Split(',').Select(c => c.Trim().Trim('"')).ToHashSet(StringComparer.Ordinal);
        var (columns, required) = await World.Server.WithDbAsync(db =>
        {
            var entity = db.Model.FindEntityType(typeof(Server.Appointments.AppointmentRecord))!;
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var all = entity.GetProperties().Select(p => (Name: p.GetColumnName(table)!, p.IsNullable)).ToList();
            return Task.FromResult((all.Select(c => c.Name).ToHashSet(StringComparer.Ordinal), all.Where(c => !c.IsNullable).Select(c => c.Name).ToList()));
        });

        var missing = required.Except(listed, StringComparer.Ordinal).ToList();
        var unknown = listed.Except(columns, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"The hold's insert leaves out required columns: {string.Join(", ", missing)}");
        Assert.True(unknown.Count == 0, $"The hold's insert names columns the model does not have: {string.Join(", ", unknown)}");
    }

    /// <summary>
    /// PostgreSQL's one statement reads the session and its station by column position, beside the EF model: each
    /// must come back as EF Core's own read gives it, or an answer carries a wrong field on PostgreSQL only. The
    /// hold it makes is the place's (one more booked) and the appointment names the session and the account's name.
    /// </summary>
    [Fact]
    public async Task Book_APlace_TheOneStatementReadsTheSessionAndStationAsTheModelDoes()
    {
        var station = await WarmAsync();
        var sessionId = await World.SessionAsync(station, capacity: 5, booked: 2);
        var caller = World.Server.Registry.Callers.Find(await CitizenWithAccountAsync(2, "Lê Thị Hẹn"))!;
        using var scope = World.Server.Registry.Server.Services.CreateScope();
        var places = scope.ServiceProvider.GetRequiredService<SessionPlaces>();
        Assert.Equal(OnPostgres, places.LooksAndHoldsAtOnce);
        if (!OnPostgres)
        {
            return;
        }

        var now = Server.Appointments.Booking.AppointmentBooking.Now(scope.ServiceProvider.GetRequiredService<TimeProvider>());
        var expected = await places.LookAsync(station, Day, 1, Procedure, new LookingCitizen(caller.AccountId, "r-1", caller.IdNumber!), default);
        var row = new Server.Appointments.AppointmentRecord
        {
            Id = Guid.NewGuid(), AccountId = caller.AccountId, IdNumber = caller.IdNumber!, FullName = "", ProcedureCode = Procedure,
            StationId = station, Status = Server.Appointments.AppointmentStatuses.Held, ActiveProcedure = Procedure, RequestId = "r-1",
            HoldExpiresAt = now.AddMinutes(10), BookedAt = now, Version = 1,
        };

        var done = await places.LookAndHoldAsync(station, Day, 1, Procedure, row, now, default);

        Assert.NotNull(expected);
        var look = Assert.IsType<SessionLook>(done.Look);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected.Session), System.Text.Json.JsonSerializer.Serialize(look.Session));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected.Station), System.Text.Json.JsonSerializer.Serialize(look.Station));
        Assert.Equal((expected.Takes, expected.Bookable, expected.EarlierAppointmentId, expected.CitizenName),
            (look.Takes, look.Bookable, look.EarlierAppointmentId, look.CitizenName));
        Assert.Equal(3, done.BookedAfter);
        Assert.Equal((sessionId, station, "Lê Thị Hẹn"), (row.SessionId, row.StationId, row.FullName));
        Assert.Equal((3, 1), await World.PlacesAsync(sessionId));
    }

    [Fact]
    public async Task Book_AFullSession_IsOneReadAndTheOffersThenOnlyTheRequestIdWhileRemembered()
    {
        var station = await WarmAsync();
        await World.SessionAsync(station, capacity: 1, booked: 1);
        await World.SessionAsync(station, capacity: 5, part: SessionPart.Afternoon);
        var caller = await CitizenWithAccountAsync(2, "Lê Thị Hẹn");

        var first = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(caller, Request(station)));
        var sentFirst = Calls.LastCall(BookRpc);
        var again = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(caller, Request(station)));
        var sentAgain = Calls.LastCall(BookRpc);

        Assert.All(new[] { first, again }, e => Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode));
        Assert.True(sentFirst.Count == 2, $"Expected the look and the offers, got {sentFirst.Count}:\n{string.Join("\n---\n", sentFirst)}");
        AssertLook(sentFirst[0]);
        Assert.Contains("station_sessions", sentFirst[1], StringComparison.Ordinal);
        Assert.DoesNotContain("appointments", sentFirst[1], StringComparison.Ordinal);
        var look = Assert.Single(sentAgain);
        Assert.Contains("appointments", look, StringComparison.Ordinal);
        Assert.DoesNotContain("station_sessions", look, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Book_AnotherFullSessionNearby_IsOnlyItsReadWhileTheOffersAroundItAreRemembered()
    {
        var station = await WarmAsync();
        await World.SessionAsync(station, capacity: 1, booked: 1);
        await World.SessionAsync(station, capacity: 1, booked: 1, part: SessionPart.Afternoon);
        var caller = await CitizenWithAccountAsync(2, "Lê Thị Hẹn");

        var first = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(caller, Request(station)));
        var sentFirst = Calls.LastCall(BookRpc);
        var other = await Assert.ThrowsAsync<RpcException>(() => World.BookAsync(caller, Request(station, part: SessionPart.Afternoon)));
        var sentOther = Calls.LastCall(BookRpc);

        Assert.Equal(StatusCode.ResourceExhausted, other.StatusCode);
        // The warm-up station of the same district has places: both refusals offer it.
        var offered = Assert.Single(first.GetRpcStatus()!.GetDetail<OpenSessions>()!.Slots);
        Assert.Equal(offered, Assert.Single(other.GetRpcStatus()!.GetDetail<OpenSessions>()!.Slots));
        Assert.Equal(2, sentFirst.Count);
        AssertLook(Assert.Single(sentOther));
    }

    // One booking by another citizen at another station first, so what is measured is what every
    // later booking costs (the model built, the connection pool warm).
    private async Task<string> WarmAsync()
    {
        var warm = await World.StationAsync();
        await World.SessionAsync(warm, capacity: 5);
        await World.BookAsync(await CitizenWithAccountAsync(1, "Trần Văn Ấm"), Request(warm));
        return await World.StationAsync();
    }

    // A citizen with an account row, as every citizen signed in for real has: the name on the hold is the account's.
    private async Task<string> CitizenWithAccountAsync(int n, string fullName)
    {
        var key = World.Citizen(n);
        var caller = World.Server.Registry.Callers.Find(key)!;
        await World.Server.WithDbAsync(async db =>
        {
            db.Add(new CitizenAccountRecord { Id = caller.AccountId, IdNumber = caller.IdNumber!, FullName = fullName, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        return key;
    }

    // The one read before the write (on PostgreSQL, the read with the write): the session, its station and the
    // request id's earlier answer together.
    private void AssertLook(string sql)
    {
        Assert.StartsWith(OnPostgres ? "WITH look AS" : "SELECT", sql.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("station_sessions", sql, StringComparison.Ordinal);
        Assert.Contains("stations", sql, StringComparison.Ordinal);
        Assert.Contains("appointments", sql, StringComparison.Ordinal);
        Assert.Contains("citizen_accounts", sql, StringComparison.Ordinal);
    }
}

public sealed class BookingRoundTripOnSqliteTests : BookingRoundTripTests
{
    protected override bool OnPostgres => false;

    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class BookingRoundTripOnPostgresTests(PostgresCluster cluster) : BookingRoundTripTests
{
    protected override bool OnPostgres => true;

    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
