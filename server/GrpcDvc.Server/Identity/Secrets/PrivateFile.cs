namespace GrpcDvc.Server.Identity.Secrets;

/// <summary>
/// Key material kept in a file only the server's user can read, created on first use: the
/// development issuer's signing key, which stands in for VNeID's and is never used in production.
/// The identity secrets themselves are sealed with Data Protection (<see cref="IdentitySecrets"/>).
/// </summary>
internal static class PrivateFile
{
    public static byte[] ReadOrCreate(string path, Func<byte[]> create)
    {
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var content = create();
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(content);
        }

        try
        {
            // Two instances starting together on one data dir must end up with the same key: first one wins.
            File.Move(temp, path, overwrite: false);
            return content;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
            return File.ReadAllBytes(path);
        }
    }
}
