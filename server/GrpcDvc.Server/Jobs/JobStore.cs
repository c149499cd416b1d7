using GrpcDvc.Server.Storage;
using Quartz;

namespace GrpcDvc.Server.Jobs;

/// <summary>
/// The scheduler every job runs on: Quartz with its persistent ADO.NET store in the application's database
/// (tables <see cref="TablePrefix"/>*, made by migration M0170). On PostgreSQL the instances form a cluster
/// (instance id generated per process), so each firing runs on exactly one of them and a dead instance's
/// firings are taken over; SQLite is one process's embedded file and is not clustered. Every job is added with
/// <see cref="AddDvcJob{TJob}"/>; whatever registers a job through AddQuartz lands on this same store.
/// </summary>
public static class JobStore
{
    /// <summary>Quartz's table prefix in our database.</summary>
    public const string TablePrefix = "qrtz_";

    /// <summary>The scheduler's name: the same on every instance, which is what puts them in one cluster.</summary>
    public const string SchedulerName = "grpcdvc";

    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration section, DatabaseTarget database)
    {
        var options = section.Get<JobsOptions>() ?? new JobsOptions();
        options.Validate();
        services.AddSingleton(options);
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s => s.InstanceName = SchedulerName);
            q.UsePersistentStore(store =>
            {
                _ = database.Provider switch
                {
                    DatabaseProvider.Sqlite => store.UseSqlite(database.ConnectionString),
                    DatabaseProvider.Postgres => store.UsePostgres(database.ConnectionString),
                    _ => throw new InvalidOperationException($"No job store for {database.Provider}."),
                };
                store.UseSystemTextJsonSerializer();
                store.ConfigureStore(o =>
                {
                    o.TablePrefix = TablePrefix;
                    o.MisfireThreshold = options.MisfireThreshold;
                    // The migrations made the tables; the scheduler checks them and creates nothing.
                    o.SchemaProvisioning = SchemaProvisioning.Validate;
                });
                if (database.Provider == DatabaseProvider.Postgres)
                {
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = options.CheckinInterval;
                        c.CheckinMisfireThreshold = options.CheckinInterval;
                    });
                }
            });
            q.AddJobListener<JobRunRecorder>([]);
        });
        // Each start declares every job and trigger again under fixed keys; one already stored is kept as it is, never
        // replaced nor duplicated. Replacing it on every start let an instance starting beside a running one put back a
        // firing the other had just run (a fire time run twice). Kept, the stored trigger carries its own history, so a
        // restart neither re-runs a schedule nor forgets a firing it missed (the misfire policy then applies). A changed
        // schedule is applied by ReconcileAsync.
        services.Configure<QuartzOptions>(o => o.Scheduling.IgnoreDuplicates = true);
        services.AddSingleton<JobRunRecorder>();
        services.AddScoped<JobRunLog>();
        services.AddScoped<JobsGrpcService>();
        services.AddDvcJob<JobRunPurgeJob>(JobRunPurgeJob.Key, JobMisfirePolicy.SkipToNext,
            "Deletes job runs older than Dvc:Jobs:RunRetention.", _ => JobSchedule.Every(options.RunPurgeInterval));
        if (options.Heartbeat.Enabled)
        {
            services.AddDvcJob<HeartbeatJob>(HeartbeatJob.Key, options.Heartbeat.Misfire,
                "Does nothing, so firings can be watched (Dvc:Jobs:Heartbeat; tests).", _ => JobSchedule.Every(options.Heartbeat.Interval));
        }

        return services;
    }

    /// <summary>
    /// Adds a scheduled job: the one way jobs are registered. The job class must carry
    /// [DisallowConcurrentExecution] and be idempotent (a firing may be run again after an instance dies in it); the
    /// job is durable and requests recovery; its trigger has the job's key (name and group) and the stated misfire
    /// policy. Call it from the capability's registration; the schedule may read services (options, the clock).
    /// </summary>
    public static IServiceCollection AddDvcJob<TJob>(this IServiceCollection services, JobKey key, JobMisfirePolicy misfire,
        string description, Func<IServiceProvider, JobSchedule> schedule)
        where TJob : class, IJob
    {
        if (!Attribute.IsDefined(typeof(TJob), typeof(DisallowConcurrentExecutionAttribute), inherit: true))
        {
            throw new InvalidOperationException($"{typeof(TJob).Name} must be [DisallowConcurrentExecution]: one run of a job at a time across the cluster.");
        }

        services.AddSingleton(new DeclaredJob(new TriggerKey(key.Name, key.Group), misfire, schedule, (sp, now) =>
        {
            var trigger = TriggerBuilder.Create<TJob>();
            schedule(sp).Apply(trigger.WithIdentity(new TriggerKey(key.Name, key.Group)).ForJob(key), misfire, now);
            return trigger.Build();
        }));
        return services.AddQuartz(q => q.ScheduleJob<TJob>(
            (sp, trigger) => schedule(sp).Apply(trigger.WithIdentity(new TriggerKey(key.Name, key.Group)), misfire,
                (sp.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow()),
            (_, job) => job.WithIdentity(key).WithDescription(description).StoreDurably().RequestRecovery()));
    }

    /// <summary>
    /// Creates the scheduler (which stores the declared jobs and triggers missing from the store) and gives every
    /// stored trigger whose schedule or misfire policy is no longer what its job declares the declared one (a
    /// configuration change). Run at start-up under the database lock, so instances starting together do it once;
    /// a running instance may run the one firing the change moves twice, once per change.
    /// </summary>
    public static async Task<int> ReconcileAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler(cancellationToken);
        var now = (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        var changed = 0;
        foreach (var declared in services.GetServices<DeclaredJob>())
        {
            var stored = await scheduler.GetTrigger(declared.Trigger, cancellationToken);
            if (stored is not null && !declared.Schedule(services).IsStoredAs(stored, declared.Misfire))
            {
                await scheduler.RescheduleJob(declared.Trigger, declared.Build(services, now), cancellationToken);
                changed++;
            }
        }

        return changed;
    }

    /// <summary>A job as <see cref="AddDvcJob{TJob}"/> declared it, for <see cref="ReconcileAsync"/>.</summary>
    internal sealed record DeclaredJob(TriggerKey Trigger, JobMisfirePolicy Misfire, Func<IServiceProvider, JobSchedule> Schedule,
        Func<IServiceProvider, DateTimeOffset, ITrigger> Build);
}
