using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Identity.Secrets;

/// <summary>
/// Files only the server's user can read: the development issuer's signing key, created on first
/// use (it stands in for VNeID's and is never used in production), and the bootstrap administrator's
/// generated credentials. The identity secrets themselves are sealed with Data Protection
/// (<see cref="IdentitySecrets"/>).
/// </summary>
internal static class PrivateFile
{
    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    public static byte[] ReadOrCreate(string path, Func<byte[]> create)
    {
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // Two instances starting together on one data dir must end up with the same key. File.Move
        // without overwrite is not enough: where the file system has no hard links, .NET falls back
        // to "check, then rename", and both instances can win. So creation runs under an exclusive
        // lock on a side file (Storage.FileLock, as the SQLite migration lock), and whoever holds it
        // looks again before writing.
        var lockPath = path + ".lock";
        using (FileLock.Take(lockPath, LockPoll, LockWait))
        {
            byte[] content;
            if (File.Exists(path))
            {
                content = File.ReadAllBytes(path);
            }
            else
            {
                content = create();
                Write(path, content);
            }

            // Removed only once the key is on disk, and while still held: whoever locks a new side
            // file after this finds the key and only reads it. (Removed after a failed create, a
            // waiter on the old file and a newcomer on a new one could both make a key.)
            File.Delete(lockPath);
            return content;
        }
    }

    /// <summary>
    /// Writes <paramref name="content"/> readable and writable by the server's user only (0600 from
    /// its creation: no window with wider rights), aside and renamed into place, so no reader ever sees
    /// half of it; replaces a file already there.
    /// </summary>
    public static void Write(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
