using Quartz;

namespace GrpcDvc.Server.Identity.Tokens;

/// <summary>
/// Rotates the access-token signing key on schedule: every
/// <see cref="SigningKeyOptions.RotationCheckInterval"/> each instance asks the ring whether the
/// key has served its lifetime, and the first to ask after that rotates
/// (<see cref="SigningKeyRing.RotateIfDueAsync"/>); for the others the run is a no-op. The
/// scheduler keeps its trigger in memory: every instance has its own, which is harmless because
/// the run is idempotent.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class SigningKeyRotationJob(SigningKeyRing ring, ILogger<SigningKeyRotationJob> logger) : IJob
{
    public static readonly JobKey Key = new("signing-key-rotation", "identity");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        => await RunAsync(cancellationToken);

    /// <summary>One check; the new key id when this run rotated, null when nothing was due.</summary>
    public async Task<string?> RunAsync(CancellationToken cancellationToken)
    {
        var kid = await ring.RotateIfDueAsync(cancellationToken);
        if (kid is not null)
        {
            LogRotated(kid);
        }

        return kid;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Signing key rotated: {KeyId} signs once it is published to every instance.")]
    private partial void LogRotated(string keyId);
}
