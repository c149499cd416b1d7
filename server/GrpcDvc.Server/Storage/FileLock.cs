namespace GrpcDvc.Server.Storage;

/// <summary>
/// An exclusive lock on a file beside what it guards, shared by processes on one machine: opened
/// with <see cref="FileShare.None"/>, which .NET takes as an flock on Unix, so the operating system
/// drops it when the process dies and no stale lock outlives a crash. Held while the stream is open.
/// </summary>
public static class FileLock
{
    /// <summary>The lock, or null while another holder has it.</summary>
    public static FileStream? TryTake(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Waits, polling every <paramref name="poll"/>, as long as it takes (until cancelled).</summary>
    public static async Task<FileStream> TakeAsync(string path, TimeSpan poll, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTake(path) is { } held)
            {
                return held;
            }

            await Task.Delay(poll, cancellationToken);
        }
    }

    /// <summary>Waits at most <paramref name="wait"/>, blocking the thread; an <see cref="IOException"/> after that.</summary>
    public static FileStream Take(string path, TimeSpan poll, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            if (TryTake(path) is { } held)
            {
                return held;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new IOException($"{path} stayed locked by another process for {wait}.");
            }

            Thread.Sleep(poll);
        }
    }
}
