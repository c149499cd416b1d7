using Quartz;

namespace GrpcDvc.Server.Identity.Tokens;

/// <summary>
/// Rotates the access-token signing key on schedule: every
/// <see cref="SigningKeyOptions.RotationCheckInterval"/> each instance asks the ring whether the
/// key has served its lifetime, and the first to ask after that rotates
/// (<see cref="SigningKeyRing.RotateIfDueAsync"/>). The trigger is in Quartz's persistent store, so
/// one instance of a cluster runs each check. Idempotent: the rotation is claimed in the database, so
/// a second check (a recovered firing, an instance whose cached ring is stale) finds the new key and
/// does nothing. Misfire policy: fire once now (a key that came due while no instance ran rotates as
/// soon as one is back).
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
