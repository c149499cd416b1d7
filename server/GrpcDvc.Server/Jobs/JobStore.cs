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
        // Each start declares every job and trigger again under fixed keys: the stored ones are replaced, never
        // duplicated, and a replaced trigger keeps its firing history, so a restart neither re-fires a schedule that
        // has run nor forgets one it missed (the misfire policy then applies).
        services.Configure<QuartzOptions>(o => o.Scheduling.ScheduleTriggerRelativeToReplacedTrigger = true);
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

        return services.AddQuartz(q => q.ScheduleJob<TJob>(
            (sp, trigger) => schedule(sp).Apply(trigger.WithIdentity(new TriggerKey(key.Name, key.Group)), misfire,
                (sp.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow()),
            (_, job) => job.WithIdentity(key).WithDescription(description).StoreDurably().RequestRecovery()));
    }
}
