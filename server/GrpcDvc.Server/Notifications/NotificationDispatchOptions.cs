namespace GrpcDvc.Server.Notifications;

/// <summary>"Dvc:Notifications:Dispatch".</summary>
public sealed class NotificationDispatchOptions
{
    public const string Section = "Dvc:Notifications:Dispatch";

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Messages claimed per database round at most (a run goes on until none is due).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Sends tried per message before it is given up (refusals and gateway errors count).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait after the first refusal; each further refusal doubles it, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a claimed message is left alone while its send is in flight (longer than any gateway call).</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    public void Validate()
    {
        if (Interval <= TimeSpan.Zero || BatchSize < 1 || MaxAttempts < 1 || Backoff <= TimeSpan.Zero || MaxBackoff < Backoff || ClaimLease <= TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                $"{Section}: Interval, Backoff and ClaimLease must be positive, MaxBackoff at least Backoff, BatchSize and MaxAttempts at least 1.");
        }
    }

    /// <summary>The wait after the <paramref name="attempts"/>-th refusal.</summary>
    public TimeSpan BackoffAfter(int attempts)
    {
        var wait = Backoff;
        for (var i = 1; i < attempts && wait < MaxBackoff; i++)
        {
            wait *= 2;
        }

        return wait < MaxBackoff ? wait : MaxBackoff;
    }
}
