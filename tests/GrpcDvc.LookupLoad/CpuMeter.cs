using System.Diagnostics;
using System.Globalization;

namespace GrpcDvc.LookupLoad;

/// <summary>
/// CPU time of named processes (the server, PostgreSQL's postmaster) and of the driver itself, read
/// right before and after a recorded level so the report can say what one call cost each of them.
/// A process is counted with its children: its own utime+stime, what its reaped children left in
/// cutime+cstime (PostgreSQL backends that exit end up there), and every live child's four fields
/// (each backend is a child of the postmaster, busy for the whole level). Linux only (/proc).
/// </summary>
internal sealed class CpuMeter
{
    // /proc reports clock ticks of USER_HZ, which Linux fixes at 100 for user space on every architecture it runs on.
    private const double TicksPerSecond = 100;

    private readonly (string Name, int Pid)[] processes;

    private CpuMeter((string Name, int Pid)[] processes) => this.processes = processes;

    /// <summary>The names the columns carry: one per process, then the driver.</summary>
    public IReadOnlyList<string> Names => [.. processes.Select(p => p.Name), "driver"];

    /// <summary>"server=1234,postgres=5678"; null or empty: no meter.</summary>
    public static CpuMeter? Parse(string? pids)
    {
        if (string.IsNullOrWhiteSpace(pids))
        {
            return null;
        }

        return new CpuMeter([.. pids.Split(',').Select(pair =>
        {
            var parts = pair.Split('=', 2);
            return parts.Length == 2 ? (parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture))
                : throw new ArgumentException($"--cpu-pids wants name=pid pairs, not '{pair}'.");
        })]);
    }

    /// <summary>CPU seconds so far, in the order of <see cref="Names"/>.</summary>
    public double[] Read()
    {
        using var self = Process.GetCurrentProcess();
        var ticks = processes.Select(p => TreeTicks(p.Pid)).ToArray();
        return [.. ticks.Select(t => t / TicksPerSecond), self.TotalProcessorTime.TotalSeconds];
    }

    /// <summary>Tab-separated CPU milliseconds per call of each process between two readings.</summary>
    public static string PerCall(double[] before, double[] after, long calls)
        => string.Join('\t', before.Zip(after, (b, a) => calls == 0 ? "-"
            : ((a - b) * 1000 / calls).ToString("F3", CultureInfo.InvariantCulture)));

    private static long TreeTicks(int pid)
    {
        var own = Stat(pid) ?? throw new InvalidOperationException($"process {pid} is gone");
        var total = own.Self + own.Reaped;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child)
                && Stat(child) is { } stat && stat.Parent == pid)
            {
                total += stat.Self + stat.Reaped;
            }
        }

        return total;
    }

    // /proc/PID/stat: "pid (comm) state ppid …", utime stime cutime cstime are fields 14–17. The comm may
    // hold spaces and parentheses, so the fields are counted from the last ')'.
    private static (int Parent, long Self, long Reaped)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null; // exited between the listing and the read
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return ((int)Field(4), Field(14) + Field(15), Field(16) + Field(17));
    }
}
