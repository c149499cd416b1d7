using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Contracts.Jobs.V1;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Jobs;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Access;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace GrpcDvc.Tests.Jobs;

/// <summary>dvc.jobs.v1.JobService on the embedded default (SQLite, Quartz's persistent store in the same file).</summary>
public sealed class JobServiceTests : IAsyncLifetime
{
    private InProcessServer _server = null!;
    private JobService.JobServiceClient _jobs = null!;
    private CallOptions _administrator;

    public async Task InitializeAsync()
    {
        _server = await InProcessServer.StartAsync(null, "--Dvc:Jobs:Heartbeat:Enabled=true", "--Dvc:Jobs:Heartbeat:Interval=00:00:01");
        _jobs = new JobService.JobServiceClient(_server.Channel);
        _administrator = TestCallers.Bearer(await TestCallers.OfficialAsync(_server, "P34-01", Role.Administrator));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string DataDir => _server.Services.GetRequiredService<DataDirectory>().Path;

    [Fact]
    public async Task EveryRegisteredJob_IsNonConcurrentDurableAndRecoverable_AndStatesItsMisfirePolicy()
    {
        var scheduler = await _server.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        Assert.True((await scheduler.GetMetadata()).JobStorePersistent, "the scheduler runs on the persistent store");
        var keys = await scheduler.GetJobKeys(GroupMatcher<JobKey>.AnyGroup());
        Assert.Contains(SigningKeyRotationJob.Key, keys);
        Assert.Contains(AbuseCounterPurgeJob.Key, keys);
        Assert.Contains(JobRunPurgeJob.Key, keys);
        foreach (var key in keys)
        {
            var job = await scheduler.GetJobDetail(key);
            Assert.NotNull(job);
            Assert.True(job.ConcurrentExecutionDisallowed, $"{key} must be [DisallowConcurrentExecution]");
            Assert.True(job.Durable && job.RequestsRecovery, $"{key} must be registered with JobStore.AddDvcJob");
        }

        var listed = await _jobs.ListJobsAsync(new ListJobsRequest(), _administrator);
        Assert.Equal(keys.Count, listed.Jobs.Count);
        Assert.All(listed.Jobs, j => Assert.All(j.Triggers, t => Assert.True(
            t.MisfirePolicy is MisfirePolicy.FireOnceNow or MisfirePolicy.SkipToNext, $"{j.Key} states no misfire policy")));
        var rotation = Assert.Single(listed.Jobs, j => j.Key == "identity.signing-key-rotation");
        Assert.Equal(MisfirePolicy.FireOnceNow, Assert.Single(rotation.Triggers).MisfirePolicy);
        Assert.Equal(TimeSpan.FromHours(1), Assert.Single(rotation.Triggers).Interval.ToTimeSpan());
        var purge = Assert.Single(listed.Jobs, j => j.Key == "identity.abuse-counter-purge");
        Assert.Equal(MisfirePolicy.SkipToNext, Assert.Single(purge.Triggers).MisfirePolicy);
    }

    [Fact]
    public async Task ListJobRuns_Heartbeat_NewestFirst_PagedWithoutGapsOrRepeats_AndListJobsShowsTheLastRun()
    {
        await JobRunRow.WaitForAsync(() => JobRunRow.HeartbeatsOnSqliteAsync(DataDir), rows => rows.Count >= 3,
            TimeSpan.FromSeconds(20), "three heartbeats");

        var first = await _jobs.ListJobRunsAsync(new ListJobRunsRequest { Job = "jobs.heartbeat", Page = new PageRequest { PageSize = 2 } }, _administrator);
        var second = await _jobs.ListJobRunsAsync(new ListJobRunsRequest { Job = "jobs.heartbeat", Page = new PageRequest { PageSize = 2, PageToken = first.Page.NextPageToken } }, _administrator);

        var runs = first.Runs.Concat(second.Runs).ToList();
        Assert.Equal(2, first.Runs.Count);
        Assert.True(first.Page.TotalSize >= 3);
        Assert.All(runs, r => Assert.Equal("jobs.heartbeat", r.Job));
        Assert.All(runs, r => Assert.Equal(JobRunOutcome.Succeeded, r.Outcome));
        Assert.All(runs, r => Assert.Equal("NON_CLUSTERED", r.InstanceId));
        var fired = runs.Select(r => r.ScheduledFireTime.ToDateTimeOffset()).ToList();
        Assert.Equal(fired.OrderDescending(), fired);
        Assert.Equal(fired.Count, fired.Distinct().Count());

        var listed = await _jobs.ListJobsAsync(new ListJobsRequest(), _administrator);
        var heartbeat = Assert.Single(listed.Jobs, j => j.Key == "jobs.heartbeat");
        Assert.NotNull(heartbeat.LastRun);
        Assert.True(heartbeat.LastRun.ScheduledFireTime.ToDateTimeOffset() >= fired[0]);
        Assert.NotNull(Assert.Single(heartbeat.Triggers).NextFireTime);
    }

    [Fact]
    public async Task ListJobRuns_AnAuditor_MayRead()
    {
        var auditor = TestCallers.Bearer(await TestCallers.OfficialAsync(_server, "P34-01", Role.Auditor));

        var runs = await _jobs.ListJobRunsAsync(new ListJobRunsRequest(), auditor);

        Assert.NotNull(runs.Page);
    }

    [Theory]
    [InlineData("heartbeat", "job")]
    [InlineData("jobs.", "job")]
    [InlineData(".heartbeat", "job")]
    public async Task ListJobRuns_MalformedJobKey_InvalidArgumentOnJob(string job, string field)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _jobs.ListJobRunsAsync(new ListJobRunsRequest { Job = job }, _administrator).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(error.GetBadRequest()!.FieldViolations, v => v.Field == field);
    }

    [Fact]
    public async Task ListJobRuns_PageTokenOfAnotherJob_InvalidArgument()
    {
        await JobRunRow.WaitForAsync(() => JobRunRow.HeartbeatsOnSqliteAsync(DataDir), rows => rows.Count >= 2,
            TimeSpan.FromSeconds(20), "two heartbeats");
        var page = await _jobs.ListJobRunsAsync(new ListJobRunsRequest { Job = "jobs.heartbeat", Page = new PageRequest { PageSize = 1 } }, _administrator);

        var error = await Assert.ThrowsAsync<RpcException>(() => _jobs.ListJobRunsAsync(
            new ListJobRunsRequest { Page = new PageRequest { PageToken = page.Page.NextPageToken } }, _administrator).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(error.GetBadRequest()!.FieldViolations, v => v.Field == "page.page_token" && v.Reason == "INVALID_PAGE_TOKEN");
    }

    [Fact]
    public async Task JobRunPurge_DeletesOnlyRunsPastTheRetention()
    {
        await JobRunRow.WaitForAsync(() => JobRunRow.HeartbeatsOnSqliteAsync(DataDir), rows => rows.Count >= 1,
            TimeSpan.FromSeconds(20), "a heartbeat");
        var options = _server.Services.GetRequiredService<JobsOptions>();
        var now = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var purge = new JobRunPurgeJob(_server.Services.GetRequiredService<IServiceScopeFactory>(), options, now,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<JobRunPurgeJob>.Instance);

        Assert.Equal(0, await purge.RunAsync(CancellationToken.None));
        now.Advance(options.RunRetention + TimeSpan.FromMinutes(1));
        Assert.True(await purge.RunAsync(CancellationToken.None) >= 1);
    }
}
