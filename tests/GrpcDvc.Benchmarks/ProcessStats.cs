using System.Globalization;

namespace GrpcDvc.Benchmarks;

/// <summary>
/// Writes this process's managed allocation and GC counts to a file ten times a second, so the
/// driver can read allocated bytes per call around each run without touching the endpoint.
/// </summary>
internal static class ProcessStats
{
    public static async Task WriteEveryTenthSecondAsync(string path, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            do
            {
                await File.WriteAllTextAsync(path + ".tmp", string.Create(CultureInfo.InvariantCulture,
                    $"allocated_bytes={GC.GetTotalAllocatedBytes(precise: true)}\ngen0={GC.CollectionCount(0)}\ngen1={GC.CollectionCount(1)}\ngen2={GC.CollectionCount(2)}\n"),
                    CancellationToken.None);
                File.Move(path + ".tmp", path, overwrite: true);
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }
}
