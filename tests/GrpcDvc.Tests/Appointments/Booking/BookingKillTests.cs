using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Tests.Faults;
using GrpcDvc.Tests.Support;
using Xunit.Abstractions;
using ProtoDate = GrpcDvc.Contracts.Common.V1.Date;

namespace GrpcDvc.Tests.Appointments.Booking;

/// <summary>
/// The server process killed with SIGKILL in the middle of a booking storm on PostgreSQL, and
/// restarted on the same database: every booking a client saw succeed is still there, the calls cut
/// by the kill, retried with their request ids, take at most one place each, and the session's
/// booked count equals its active appointments. Run alone with the other fault tests.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class BookingKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Citizens = 120;
    private const int Capacity = 80;
    private const string Station = "TR-KILL";
    private readonly PostgresCluster _cluster = new();
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        await _cluster.InitializeAsync();
        _connectionString = await _cluster.CreateDatabaseAsync();
    }

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task ServerKilledMidBookings_RestartsOnTheSameDatabase_EveryAcknowledgedBookingThereOnce_BookedEqualsActive()
    {
        var database = FaultDatabase.Postgres(_connectionString);
        string[] args = [.. FaultServer.Args, .. database.ServerArgs, "--Dvc:Population:DemoCitizens=400"];
        await using var first = await ServerProcess.StartAsync(args);
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10);
        var session = await SeedAsync(database, day);
        var people = await database.QueryAsync($"""
            SELECT id_number, full_name, lpad(birth_year::text, 4, '0') || '-' || lpad(birth_month::text, 2, '0') || '-' || lpad(birth_day::text, 2, '0')
            FROM citizens WHERE birth_month IS NOT NULL AND birth_day IS NOT NULL AND status = 1 AND birth_year <= 2006 ORDER BY id LIMIT {Citizens}
            """);
        Assert.Equal(Citizens, people.Count);

        var requests = people.Select(_ => Guid.NewGuid().ToString()).ToArray();
        var seen = new ConcurrentDictionary<int, string>();
        var refused = new ConcurrentDictionary<int, StatusCode>();
        string[] tokens;
        using (var channel = GrpcChannel.ForAddress($"http://{first.GrpcTarget}"))
        {
            tokens = await Task.WhenAll(people.Select(p => SignInAsync(channel, p)));
            var client = new AppointmentService.AppointmentServiceClient(channel);
            var next = -1;
            var storm = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                for (var i = Interlocked.Increment(ref next); i < Citizens; i = Interlocked.Increment(ref next))
                {
                    await BookAsync(client, i, tokens[i], requests[i], day, seen, refused);
                }
            })).ToList();
            while (seen.Count < 25 && !storm.All(t => t.IsCompleted))
            {
                await Task.Delay(5);
            }

            await first.KillAsync();
            await Task.WhenAll(storm);
        }

        var acknowledged = seen.ToDictionary();
        output.WriteLine($"Killed after {acknowledged.Count} acknowledged bookings, {refused.Count} definite refusals.");
        Assert.InRange(acknowledged.Count, 1, Citizens - 1);

        await using var second = await first.RestartAsync();
        using (var channel = GrpcChannel.ForAddress($"http://{second.GrpcTarget}"))
        {
            // Every citizen retries with the request id of their first attempt, as a client does after an error.
            var client = new AppointmentService.AppointmentServiceClient(channel);
            foreach (var i in Enumerable.Range(0, Citizens))
            {
                refused.TryRemove(i, out _);
                await BookAsync(client, i, tokens[i], requests[i], day, seen, refused);
            }
        }

        Assert.All(acknowledged, a => Assert.Equal(a.Value, seen[a.Key]));
        Assert.Equal(Citizens, seen.Count + refused.Count);
        Assert.All(refused.Values, s => Assert.Equal(StatusCode.ResourceExhausted, s));
        var rows = await database.QueryAsync("SELECT id, status, account_id FROM appointments");
        Assert.Equal(seen.Values.Select(Guid.Parse).ToHashSet(), rows.Select(r => FaultDatabase.Id(r[0])).ToHashSet());
        Assert.Equal(rows.Count, rows.Select(r => FaultDatabase.Id(r[2])).Distinct().Count());
        Assert.All(rows, r => Assert.Equal("held", r[1]));
        var booked = await database.CountAsync($"SELECT booked FROM station_sessions WHERE id = {session}");
        var active = await database.CountAsync($"SELECT COUNT(*) FROM appointments WHERE session_id = {session} AND active_procedure IS NOT NULL");
        Assert.Equal((Math.Min(Capacity, Citizens), (long)rows.Count), (booked, active));
    }

    /// <summary>One citizen's booking: its answer recorded as seen (a place) or refused (a definite no); a cut call is neither.</summary>
    private static async Task BookAsync(AppointmentService.AppointmentServiceClient client, int i, string token, string requestId, DateOnly day,
        ConcurrentDictionary<int, string> seen, ConcurrentDictionary<int, StatusCode> refused)
    {
        var request = new BookAppointmentRequest
        {
            RequestId = requestId, StationId = Station, Part = SessionPart.Morning, ProcedureCode = BookingWorld.Procedure,
            Date = new ProtoDate { Year = day.Year, Month = day.Month, Day = day.Day },
        };
        var call = new CallOptions(new Metadata { { "authorization", $"Bearer {token}" } }, deadline: DateTime.UtcNow.AddSeconds(30));
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                seen[i] = (await client.BookAppointmentAsync(request, call)).Appointment.AppointmentId;
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && e.Trailers.GetValue("grpc-status-details-bin") is not null)
            {
                await Task.Delay(50);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.ResourceExhausted)
            {
                refused[i] = e.StatusCode;
                return;
            }
            catch (RpcException)
            {
                // Cut by the kill (or refused by the dying process): the outcome is unknown to this client.
                return;
            }
        }
    }

    private static async Task<string> SignInAsync(GrpcChannel channel, object?[] person)
    {
        var assertion = await new DevelopmentService.DevelopmentServiceClient(channel).IssueDevelopmentAssertionAsync(new IssueDevelopmentAssertionRequest
        {
            IdNumber = (string)person[0]!, FullName = (string)person[1]!, BirthDate = (string)person[2]!, AssuranceLevel = 2,
        });
        var tokens = await new IdentityService.IdentityServiceClient(channel).ExchangeIdentityAssertionAsync(
            new ExchangeIdentityAssertionRequest { Assertion = assertion.Assertion });
        return tokens.AccessToken;
    }

    /// <summary>A station taking the procedure and one morning session of <see cref="Capacity"/> places, open now; the session's id.</summary>
    private static async Task<long> SeedAsync(FaultDatabase database, DateOnly day)
    {
        var unit = (await database.QueryAsync("SELECT id, code FROM administrative_units ORDER BY id LIMIT 1"))[0];
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var starts = new DateTimeOffset(day.ToDateTime(new TimeOnly(7, 30)), TimeSpan.FromHours(7)).ToUnixTimeMilliseconds();
        var sql = string.Create(CultureInfo.InvariantCulture, $"""
            INSERT INTO stations (id, name, kind, unit_id, unit_code, commune_unit_id, commune_code, address, booking_window_days, release_minute, accepting, version, create_request_id, created_at, updated_at)
            VALUES ('{Station}', 'Trạm thu nhận thử', 'fixed', {unit[0]}, '{unit[1]}', {unit[0]}, '{unit[1]}', 'Số 1', 30, 0, true, 1, 'seed', {now}, {now});
            INSERT INTO station_procedures (station_id, procedure_code) VALUES ('{Station}', '{BookingWorld.Procedure}');
            INSERT INTO station_sessions (station_id, date, part, starts_at, ends_at, opens_at, capacity, booked, closed)
            VALUES ('{Station}', '{day:yyyy-MM-dd}', 1, {starts}, {starts + (4 * 3600_000)}, {now - 3600_000}, {Capacity}, 0, false);
            """);
        await database.QueryAsync(sql);
        return await database.CountAsync($"SELECT id FROM station_sessions WHERE station_id = '{Station}'");
    }
}
