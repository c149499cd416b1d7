using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Calendar.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Access;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProtoDayKind = GrpcDvc.Contracts.Calendar.V1.DayKind;

namespace GrpcDvc.Tests.Calendar;

/// <summary>CalendarService over gRPC against a real database; run once per provider.</summary>
public abstract class CalendarServiceTests : IAsyncLifetime
{
    private InProcessServer _server = null!;

    private CalendarService.CalendarServiceClient Calendar { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync();
        Calendar = new CalendarService.CalendarServiceClient(_server.Channel);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract Task<InProcessServer> StartServerAsync();

    private async Task<CallOptions> NationalAdministratorAsync() => TestCallers.Bearer(await TestCallers.OfficialAsync(_server, "BCA", Role.Administrator));

    private static Date D(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    [Fact]
    public async Task ListHolidays_2026_IsTheSeededAnnouncement_WithTetAndTheCultureDay()
    {
        var response = await Calendar.ListHolidaysAsync(new ListHolidaysRequest { Year = 2026 });

        Assert.True(response.Fixed);
        Assert.Contains("9441/TB-BNV", response.Source, StringComparison.Ordinal);
        var holidays = response.Entries.Where(e => e.Kind == ProtoDayKind.Holiday).Select(e => new DateOnly(e.Date.Year, e.Date.Month, e.Date.Day)).ToHashSet();
        Assert.All(Enumerable.Range(14, 9), day => Assert.Contains(new DateOnly(2026, 2, day), holidays));
        Assert.Contains(new DateOnly(2026, 11, 24), holidays);
        Assert.Contains(response.Entries, e => e.Kind == ProtoDayKind.WorkingDay && e.Date.Equals(D(2026, 1, 10)));
    }

    [Fact]
    public async Task ListHolidays_2027_IsGeneratedFromTheRules()
    {
        var response = await Calendar.ListHolidaysAsync(new ListHolidaysRequest { Year = 2027 });
        Assert.False(response.Fixed);
        Assert.Contains(response.Entries, e => e.Date.Equals(D(2027, 2, 11)) && e.Name.Vi.StartsWith("Nghỉ bù", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetWorkingDays_February2026_SkipsTheTetBreakAndWeekends()
    {
        var response = await Calendar.GetWorkingDaysAsync(new GetWorkingDaysRequest { From = D(2026, 2, 1), To = D(2026, 2, 28) });
        // 20 weekdays in February 2026, less the five of Tết.
        Assert.Equal(15, response.Count);
        Assert.DoesNotContain(D(2026, 2, 16), response.WorkingDays);
        Assert.Contains(D(2026, 2, 23), response.WorkingDays);
    }

    [Fact]
    public async Task ComputeDueDate_SubmittedAt1701BeforeTet_CountsFromTheNextMorningAndSkipsTheBreak()
    {
        var response = await Calendar.ComputeDueDateAsync(new ComputeDueDateRequest
        {
            SubmittedAt = Timestamp.FromDateTimeOffset(CalendarFixtures.Vn(2026, 2, 12, 17, 1)),
            Schedule = Schedule.Identity,
            WorkingDays = 2,
        });

        Assert.Equal(CalendarFixtures.Vn(2026, 2, 13, 7, 30), response.ReceivedAt.ToDateTimeOffset());
        Assert.Equal(CalendarFixtures.Vn(2026, 2, 24, 17, 0), response.DueAt.ToDateTimeOffset());
        Assert.Equal(D(2026, 2, 24), response.DueDate);
    }

    [Fact]
    public async Task ComputeDueDate_BadInput_IsInvalidArgumentWithEveryFieldViolation()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Calendar.ComputeDueDateAsync(new ComputeDueDateRequest
        {
            WorkingDays = 1.25,
            ClockStops = { new Contracts.Calendar.V1.ClockStop { From = Timestamp.FromDateTimeOffset(CalendarFixtures.Vn(2026, 3, 2)) } },
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["clock_stops[0]", "schedule", "working_days"], ex.GetBadRequest()!.FieldViolations.Select(v => v.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ComputeDueDate_ThousandsOfBrokenClockStops_IsOneViolationPlusAtMostTheCappedRest()
    {
        var request = new ComputeDueDateRequest { WorkingDays = 5, Schedule = Schedule.Residence };
        request.ClockStops.Add(Enumerable.Range(0, 5000).Select(_ => new Contracts.Calendar.V1.ClockStop()));

        var ex = await Assert.ThrowsAsync<RpcException>(() => Calendar.ComputeDueDateAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var fields = ex.GetBadRequest()!.FieldViolations.Select(v => v.Field).ToList();
        Assert.Equal("clock_stops", fields[0]);
        Assert.Equal(Server.Errors.RpcErrors.MaxFieldViolations, fields.Count);
    }

    [Fact]
    public async Task SetHoliday_ByANationalAdministrator_ChangesWorkingDays_AndIsIdempotent()
    {
        var admin = await NationalAdministratorAsync();
        var request = new SetHolidayRequest
        {
            Date = D(2026, 3, 12),
            Kind = ProtoDayKind.Holiday,
            Name = new LocalizedText { Vi = "Nghỉ thử", En = "Test day off" },
            Source = "Quyết định thử nghiệm",
        };

        var first = await Calendar.SetHolidayAsync(request, admin);
        var again = await Calendar.SetHolidayAsync(request, admin);

        Assert.True(first.Changed);
        Assert.False(again.Changed);
        var week = await Calendar.GetWorkingDaysAsync(new GetWorkingDaysRequest { From = D(2026, 3, 9), To = D(2026, 3, 13) });
        Assert.Equal(4, week.Count);
        await using var scope = _server.Services.CreateAsyncScope();
        var changes = await scope.ServiceProvider.GetRequiredService<DvcDbContext>().CalendarChanges().AsNoTracking().ToListAsync();
        Assert.Equal(new DateOnly(2026, 3, 12), Assert.Single(changes).Date);
    }

    [Fact]
    public async Task SetHoliday_AfterTheYearWasReadAndCached_IsSeenAtOnceByThisInstance()
    {
        var admin = await NationalAdministratorAsync();
        var week = new GetWorkingDaysRequest { From = D(2029, 3, 5), To = D(2029, 3, 9) };
        var before = await Calendar.GetWorkingDaysAsync(week);

        await Calendar.SetHolidayAsync(new SetHolidayRequest
        {
            Date = D(2029, 3, 7), Kind = ProtoDayKind.Holiday, Name = new LocalizedText { Vi = "Nghỉ thử", En = "Test day off" }, Source = "Quyết định thử nghiệm",
        }, admin);
        var after = await Calendar.GetWorkingDaysAsync(week);

        Assert.Equal(5, before.Count);
        Assert.Equal(4, after.Count);
    }

    [Fact]
    public async Task FirstEditOfAGeneratedYear_KeepsItsOtherDefaults()
    {
        var admin = await NationalAdministratorAsync();
        var before = await Calendar.ListHolidaysAsync(new ListHolidaysRequest { Year = 2028 });

        var removed = await Calendar.RemoveHolidayAsync(new RemoveHolidayRequest { Date = D(2028, 1, 1) }, admin);
        var removedAgain = await Calendar.RemoveHolidayAsync(new RemoveHolidayRequest { Date = D(2028, 1, 1) }, admin);

        var after = await Calendar.ListHolidaysAsync(new ListHolidaysRequest { Year = 2028 });
        Assert.True(removed.Removed);
        Assert.False(removedAgain.Removed);
        Assert.False(before.Fixed);
        Assert.True(after.Fixed);
        Assert.Equal(before.Entries.Count - 1, after.Entries.Count);
        Assert.DoesNotContain(after.Entries, e => e.Date.Equals(D(2028, 1, 1)));
    }

    [Fact]
    public async Task SetHoliday_ByAProvincialAdministrator_IsPermissionDenied()
    {
        var provincial = TestCallers.Bearer(await TestCallers.OfficialAsync(_server, "P34-04", Role.Administrator));
        var ex = await Assert.ThrowsAsync<RpcException>(() => Calendar.SetHolidayAsync(new SetHolidayRequest { Date = D(2026, 3, 12) }, provincial).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal(CalendarReasons.NationalAdministratorRequired, ex.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task SetHoliday_BadInput_NamesEveryField()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Calendar.SetHolidayAsync(new SetHolidayRequest
        {
            Date = D(2026, 2, 30),
            Name = new LocalizedText { Vi = " " },
        }, await NationalAdministratorAsync()));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["date", "kind", "name.en", "name.vi", "source"], ex.GetBadRequest()!.FieldViolations.Select(v => v.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SetHoliday_WorkingDayOnAWeekday_IsRefused()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Calendar.SetHolidayAsync(new SetHolidayRequest
        {
            Date = D(2026, 3, 11),
            Kind = ProtoDayKind.WorkingDay,
            Name = new LocalizedText { Vi = "Làm bù", En = "Worked" },
            Source = "x",
        }, await NationalAdministratorAsync()));

        Assert.Equal("NOT_A_REST_DAY", Assert.Single(ex.GetBadRequest()!.FieldViolations).Reason);
    }

    [Fact]
    public async Task Seeding_Again_KeepsAnAdministratorsEdit()
    {
        var admin = await NationalAdministratorAsync();
        await Calendar.RemoveHolidayAsync(new RemoveHolidayRequest { Date = D(2026, 11, 24) }, admin);

        await using var scope = _server.Services.CreateAsyncScope();
        var added = await CalendarSeeder.SeedAsync(scope.ServiceProvider.GetRequiredService<CalendarStore>(), CalendarFixtures.Data, CancellationToken.None);

        Assert.Equal(0, added);
        var year = await Calendar.ListHolidaysAsync(new ListHolidaysRequest { Year = 2026 });
        Assert.DoesNotContain(year.Entries, e => e.Date.Equals(D(2026, 11, 24)));
    }
}

public sealed class CalendarServiceOnSqliteTests : CalendarServiceTests
{
    protected override Task<InProcessServer> StartServerAsync() => InProcessServer.StartAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class CalendarServiceOnPostgresTests(PostgresCluster cluster) : CalendarServiceTests
{
    protected override async Task<InProcessServer> StartServerAsync()
        => await InProcessServer.StartAsync(await cluster.CreateDatabaseAsync());
}
