using System.Data.Common;
using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Appointments;
using GrpcDvc.Server.Appointments.Booking;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Dossiers.Submission;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using static GrpcDvc.Tests.Appointments.Booking.BookingWorld;

namespace GrpcDvc.Tests.Appointments.Booking;

/// <summary>
/// A rebooking that meets a new booking of the same citizen for the same procedure, committed between its check
/// and its update: the unique (account, active procedure) index stops it, and the citizen is told ALREADY_BOOKED
/// with nothing of the rebooking kept. PostgreSQL, where the other booking can commit on its own connection while
/// the rebooking's transaction is open (SQLite would serialise them).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RebookRaceTests(PostgresCluster cluster) : IAsyncLifetime
{
    private readonly BeforeReactivation _stage = new();

    private BookingWorld World { get; set; } = null!;

    public async Task InitializeAsync()
        => World = await BookingWorld.StartWithAsync(await cluster.CreateDatabaseAsync(),
            services => services.ConfigureDbContext<DvcDbContext>(db => db.AddInterceptors(_stage)));

    public async Task DisposeAsync() => await World.DisposeAsync();

    [Fact]
    public async Task Rebook_RacingANewBookingOfTheSameProcedure_IsAlreadyBooked_AndKeepsNothing()
    {
        var station = await World.StationAsync();
        var other = await World.StationAsync();
        var first = await World.SessionAsync(station, 2);
        var later = await World.SessionAsync(other, 2, Day.AddDays(1));
        var third = await World.SessionAsync(station, 2, Day.AddDays(2));
        var applicant = await World.Server.CitizenAsync("minh", "Trần Văn Minh");
        var held = await World.BookAsync("minh", Request(station));
        var request = SubmissionServer.TemporaryResidence(applicant);
        SubmissionServer.UseProcedure(request, Procedure, applicant);
        (request.CommuneCode, request.Delivery, request.AppointmentId) = ("", new ResultDelivery { Method = DeliveryMethod.InPerson }, held.AppointmentId);
        await World.Server.SubmitAsync("minh", request);
        await World.Server.WithDbAsync(async db =>
        {
            var id = Guid.Parse(held.AppointmentId);
            await db.Set<AppointmentRecord>().Where(a => a.Id == id).ExecuteUpdateAsync(u => u
                .SetProperty(a => a.Status, AppointmentStatuses.CancelledByStation).SetProperty(a => a.ActiveProcedure, (string?)null)
                .SetProperty(a => a.Version, a => a.Version + 1));
            return await db.Set<StationSessionRecord>().Where(x => x.Id == first).ExecuteUpdateAsync(u => u.SetProperty(x => x.Booked, 0).SetProperty(x => x.Closed, true));
        });
        Appointment? racer = null;
        _stage.Arm(async () => racer = await World.BookAsync("minh", Request(station, Day.AddDays(2))));

        var refused = await Assert.ThrowsAsync<RpcException>(() => World.Appointments.RescheduleAppointmentAsync(new RescheduleAppointmentRequest
        {
            RequestId = Guid.NewGuid().ToString(), AppointmentId = held.AppointmentId, StationId = other,
            Date = new() { Year = Day.AddDays(1).Year, Month = Day.AddDays(1).Month, Day = Day.AddDays(1).Day }, Part = SessionPart.Morning,
        }, SubmissionServer.As("minh")).ResponseAsync);

        Assert.NotNull(racer);
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal(BookingErrors.AlreadyBooked, refused.GetRpcStatus()!.GetDetail<ErrorInfo>()?.Reason ?? refused.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations[0].Type);
        Assert.Equal((0, 0), await World.PlacesAsync(later));
        Assert.Equal((1, 1), await World.PlacesAsync(third));
        var rebooking = await World.Server.WithDbAsync(db => db.Set<AppointmentRecord>().AsNoTracking().SingleAsync(a => a.Id == Guid.Parse(held.AppointmentId)));
        Assert.Equal((AppointmentStatuses.CancelledByStation, (string?)null), (rebooking.Status, rebooking.ActiveProcedure));
    }

    /// <summary>Runs a step once, just before the statement that makes an ended appointment active again.</summary>
    private sealed class BeforeReactivation : DbCommandInterceptor
    {
        private Func<Task>? _step;

        public void Arm(Func<Task> step) => _step = step;

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("UPDATE appointments", StringComparison.Ordinal)
                && command.CommandText.Contains("active_procedure = ", StringComparison.Ordinal)
                && Interlocked.Exchange(ref _step, null) is { } step)
            {
                await step();
            }

            return result;
        }
    }
}
