using GrpcDvc.Server.Storage;
using Quartz;

namespace GrpcDvc.Server.Dossiers.Attachments;

/// <summary>Uploads, their content store (chosen by Dvc:Dossiers:Attachments:Store) and the purge.</summary>
public static class AttachmentRegistration
{
    public static IServiceCollection AddAttachments(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IConfiguration>().GetSection(AttachmentOptions.Section).Get<AttachmentOptions>() ?? new AttachmentOptions();
            options.Validate();
            return options;
        });
        services.AddSingleton(sp => new UploadBuffers(Under(sp, sp.GetRequiredService<AttachmentOptions>().BufferDirectory, "upload-buffers")));
        services.AddSingleton<IAttachmentContentStore>(sp => sp.GetRequiredService<AttachmentOptions>() is { Store: AttachmentOptions.DirectoryStoreName } options
            ? new DirectoryContentStore(Under(sp, options.Directory, "attachments"))
            : new DatabaseContentStore());
        services.AddSingleton<UploadsInFlight>();
        services.AddScoped<AttachmentUploads>();
        services.AddSingleton<AttachmentPurgeJob>();
        // In the in-memory Quartz store of every instance, like the identity purges: the job is idempotent across instances.
        services.AddQuartz(q => q.ScheduleJob<AttachmentPurgeJob>(
            (sp, trigger) =>
            {
                var interval = sp.GetRequiredService<AttachmentOptions>().PurgeInterval;
                trigger.WithIdentity("attachment-purge", "dossiers")
                    .StartAt(sp.GetRequiredService<TimeProvider>().GetUtcNow() + interval)
                    .WithSimpleSchedule(interval);
            },
            (_, job) => job.WithIdentity(AttachmentPurgeJob.Key)));
        return services;
    }

    /// <summary>The configured path, or <paramref name="fallback"/> under Dvc:DataDir.</summary>
    private static string Under(IServiceProvider services, string configured, string fallback)
        => !string.IsNullOrWhiteSpace(configured) ? configured
            : Path.Combine(services.GetService<DataDirectory>()?.Path ?? "./data", fallback);
}
