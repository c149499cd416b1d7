namespace GrpcDvc.Server.Identity.Tokens;

/// <summary>
/// Which keys of the ring sign and which validate at a given instant — the pure part of
/// rotation, apart from storage and caching.
/// </summary>
public static class SigningKeySchedule
{
    /// <summary>The newest key already active and not retired; null when the ring has none.</summary>
    public static SigningKeyRecord? Signer(IEnumerable<SigningKeyRecord> keys, DateTime now)
        => keys.Where(k => k.ActivatesAt <= now && (k.RetiresAt is null || k.RetiresAt > now))
            .OrderByDescending(k => k.ActivatesAt).ThenByDescending(k => k.KeyId, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>
    /// Every key a valid token can carry: published ones not yet active (another instance may
    /// already sign with them), the active one, and retired ones whose tokens may still be live.
    /// </summary>
    public static bool Validates(SigningKeyRecord key, DateTime now, TimeSpan retention)
        => key.RetiresAt is null || key.RetiresAt.Value + retention > now;

    /// <summary>
    /// True when the newest key not yet retired has signed for <paramref name="lifetime"/>. False on an
    /// empty ring (its first use makes a key) and right after a rotation, whose new key is not retired
    /// and has not even started to sign — so a second instance asking just after the first rotated
    /// is told no.
    /// </summary>
    public static bool RotationDue(IEnumerable<SigningKeyRecord> keys, DateTime now, TimeSpan lifetime)
        => keys.Where(k => k.RetiresAt is null).MaxBy(k => k.ActivatesAt) is { } newest && newest.ActivatesAt + lifetime <= now;
}
