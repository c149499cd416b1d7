using GrpcDvc.Server.Jobs;
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
        // On the persistent store (Jobs/JobStore). Missed purges: skipped, the next one deletes what they would have.
        services.AddDvcJob<AttachmentPurgeJob>(AttachmentPurgeJob.Key, JobMisfirePolicy.SkipToNext,
            "Deletes uploads no dossier took up within Dvc:Dossiers:Attachments:UnclaimedTtl and contents nothing uses.",
            sp => JobSchedule.Every(sp.GetRequiredService<AttachmentOptions>().PurgeInterval));
        return services;
    }

    /// <summary>The configured path, or <paramref name="fallback"/> under Dvc:DataDir.</summary>
    private static string Under(IServiceProvider services, string configured, string fallback)
        => !string.IsNullOrWhiteSpace(configured) ? configured
            : Path.Combine(services.GetService<DataDirectory>()?.Path ?? "./data", fallback);
}
