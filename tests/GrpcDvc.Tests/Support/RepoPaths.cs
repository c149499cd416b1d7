namespace GrpcDvc.Tests.Support;

/// <summary>Where things are, found from the test assembly's folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release, as this test assembly was built.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent?.Name ?? "Debug";

    public static string ServerDll => Path.Combine(Root, "server", "GrpcDvc.Server", "bin", Configuration, "net10.0", "GrpcDvc.Server.dll");

    public static string Peer(string relative) => Path.Combine(AppContext.BaseDirectory, "peers", relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GrpcDvc.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("GrpcDvc.sln not found above the test assembly.");
    }
}
