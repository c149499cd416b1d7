using Microsoft.Extensions.FileProviders;

namespace GrpcDvc.Server.Hosting;

/// <summary>
/// Serves the sample citizen portal (clients/portal/dist, bundled by clients/portal/build.sh and copied to "portal/" beside the server) at
/// /portal/ on the web endpoint. Its pages call the API with gRPC-Web from the same origin.
/// </summary>
internal static class PortalFiles
{
    public const string RequestPath = "/portal";

    public static void UsePortal(this WebApplication app)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "portal");
        if (!Directory.Exists(folder))
        {
            return; // a build without the portal serves the API alone
        }

        var files = new PhysicalFileProvider(folder);
        app.Lifetime.ApplicationStopped.Register(files.Dispose);
        app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = RequestPath, FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { RequestPath = RequestPath, FileProvider = files });
    }
}
