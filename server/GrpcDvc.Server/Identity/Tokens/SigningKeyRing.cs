using System.Globalization;
using System.Security.Cryptography;
using GrpcDvc.Server.Identity.Secrets;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace GrpcDvc.Server.Identity.Tokens;

/// <summary>
/// The access-token signing keys, kept in the signing_keys table and cached per instance.
/// Rotation needs no downtime: <see cref="RotateSigningKeyAsync"/> publishes a new key that
/// starts signing only after <see cref="SigningKeyOptions.PublishDelay"/>, by when every instance
/// has reread the ring (<see cref="SigningKeyOptions.RefreshInterval"/>) and accepts it; the old
/// key stops signing then but keeps validating until its last token has expired. An unknown
/// "kid" also triggers a reread, so a key made elsewhere is picked up at once.
/// </summary>
public sealed class SigningKeyRing(IServiceScopeFactory scopes, IdentitySecrets secrets, IdentityOptions options, TimeProvider time) : IDisposable
{
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;
    private static readonly TimeSpan MinimumReloadGap = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly Dictionary<string, LoadedKey> _loaded = new(StringComparer.Ordinal);
    private volatile Snapshot? _snapshot;

    /// <summary>How long a retired key keeps validating: the longest a token it signed can live.</summary>
    public TimeSpan Retention => options.AccessTokenLifetime + options.ClockSkew;

    /// <summary>The key to sign with now; the first call on an empty ring creates one.</summary>
    public async Task<SigningCredentials> SigningCredentialsAsync(CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(force: false, cancellationToken);
        var signer = SigningKeySchedule.Signer(snapshot.Keys.Select(k => k.Record), Now);
        if (signer is null)
        {
            await AddKeyAsync(Now, retireOthers: false, cancellationToken);
            snapshot = await CurrentAsync(force: true, cancellationToken);
            signer = SigningKeySchedule.Signer(snapshot.Keys.Select(k => k.Record), Now)
                ?? throw new InvalidOperationException("The signing key ring has no active key.");
        }

        var key = snapshot.Keys.Single(k => k.Record.KeyId == signer.KeyId);
        return new SigningCredentials(key.PrivateKey.Value, Algorithm);
    }

    /// <summary>The keys a token may be signed with now; rereads the ring once if <paramref name="kid"/> is not among them.</summary>
    public async Task<IReadOnlyList<SecurityKey>> ValidationKeysAsync(string? kid, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(force: false, cancellationToken);
        if (kid is not null && !snapshot.Keys.Any(k => k.Record.KeyId == kid) && Now - snapshot.LoadedAt >= MinimumReloadGap)
        {
            snapshot = await CurrentAsync(force: true, cancellationToken);
        }

        var now = Now;
        return [.. snapshot.Keys.Where(k => SigningKeySchedule.Validates(k.Record, now, Retention)).Select(k => (SecurityKey)k.PublicKey)];
    }

    /// <summary>
    /// Publishes a new key that signs from now + <see cref="SigningKeyOptions.PublishDelay"/>,
    /// retires the current one at that moment, and deletes keys whose tokens have all expired.
    /// </summary>
    public async Task<string> RotateSigningKeyAsync(CancellationToken cancellationToken = default)
    {
        var now = Now;
        var kid = await AddKeyAsync(now + options.SigningKeys.PublishDelay, retireOthers: true, cancellationToken);
        await ForgetExpiredKeysAsync(now, cancellationToken);
        await CurrentAsync(force: true, cancellationToken);
        return kid;
    }

    /// <summary>
    /// The scheduled rotation: rotates as <see cref="RotateSigningKeyAsync"/> does when
    /// <see cref="SigningKeySchedule.RotationDue"/> says the signing key has served its
    /// <see cref="SigningKeyOptions.Lifetime"/>, else does nothing. Safe on every instance at once:
    /// the due key is claimed by a conditional update in the same transaction that adds its
    /// successor, so of instances racing on one database exactly one rotates and the others
    /// (whose cached ring may still show the old key as due) update no row and add nothing. Returns the new key id, or null when nothing was due.
    /// </summary>
    public async Task<string?> RotateIfDueAsync(CancellationToken cancellationToken = default)
    {
        var now = Now;
        var lifetime = options.SigningKeys.Lifetime;
        // This instance's cached view (at most RefreshInterval old) is enough to decide there is nothing to do;
        // when it says due, the claim below asks the database itself.
        var snapshot = await CurrentAsync(force: false, cancellationToken);
        if (!SigningKeySchedule.RotationDue(snapshot.Keys.Select(k => k.Record), now, lifetime))
        {
            return null;
        }

        var activatesAt = now + options.SigningKeys.PublishDelay;
        var servedSince = now - lifetime;
        var record = NewKey(activatesAt);
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // The schedule's question asked again under the write: another instance that rotated first has retired these rows.
            var claimed = await db.Set<SigningKeyRecord>().Where(k => k.RetiresAt == null && k.ActivatesAt <= servedSince)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.RetiresAt, activatesAt), cancellationToken);
            if (claimed == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                await CurrentAsync(force: true, cancellationToken); // learn the key the other instance made
                return null;
            }

            db.Add(record);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await ForgetExpiredKeysAsync(now, cancellationToken);
        await CurrentAsync(force: true, cancellationToken);
        return record.KeyId;
    }

    public void Dispose() => _reload.Dispose();

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private async Task ForgetExpiredKeysAsync(DateTime now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        // The same bound as SigningKeySchedule.Validates: a key retired a full retention ago validates nothing.
        var forgottenBefore = now - Retention;
        await db.Set<SigningKeyRecord>().Where(k => k.RetiresAt != null && k.RetiresAt <= forgottenBefore)
            .ExecuteDeleteAsync(cancellationToken);
    }

    private SigningKeyRecord NewKey(DateTime activatesAt)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = Now;
        var kid = string.Create(CultureInfo.InvariantCulture, $"{now:yyyyMMddHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        return new SigningKeyRecord
        {
            KeyId = kid,
            Algorithm = "ES256",
            PublicKey = Convert.ToBase64String(ecdsa.ExportSubjectPublicKeyInfo()),
            PrivateKeySealed = secrets.Seal(SecretKind.SigningKey, ecdsa.ExportPkcs8PrivateKey(), kid),
            CreatedAt = now,
            ActivatesAt = activatesAt,
        };
    }

    private async Task<string> AddKeyAsync(DateTime activatesAt, bool retireOthers, CancellationToken cancellationToken)
    {
        var record = NewKey(activatesAt);
        var kid = record.KeyId;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        if (retireOthers)
        {
            // Whatever signs or is waiting to sign stops when the new key starts.
            await db.Set<SigningKeyRecord>().Where(k => k.RetiresAt == null || k.RetiresAt > activatesAt)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.RetiresAt, activatesAt), cancellationToken);
        }

        db.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return kid;
    }

    private async Task<Snapshot> CurrentAsync(bool force, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (!force && snapshot is not null && Now - snapshot.LoadedAt < options.SigningKeys.RefreshInterval)
        {
            return snapshot;
        }

        await _reload.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
            var records = await db.Set<SigningKeyRecord>().AsNoTracking().ToListAsync(cancellationToken);
            var keys = records.Select(Load).ToList();
            foreach (var gone in _loaded.Keys.Except(records.Select(r => r.KeyId)).ToList())
            {
                _loaded.Remove(gone);
            }

            snapshot = new Snapshot(keys, Now);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _reload.Release();
        }
    }

    // Called under _reload: keys already materialised are reused, so crypto providers cached by kid stay valid.
    private LoadedKey Load(SigningKeyRecord record)
    {
        if (_loaded.TryGetValue(record.KeyId, out var known))
        {
            var refreshed = known with { Record = record };
            _loaded[record.KeyId] = refreshed;
            return refreshed;
        }

        var loaded = new LoadedKey(record, PublicKeyOf(record), new Lazy<SecurityKey>(() => PrivateKeyOf(record)));
        _loaded[record.KeyId] = loaded;
        return loaded;
    }

    private static ECDsaSecurityKey PublicKeyOf(SigningKeyRecord record)
    {
#pragma warning disable CA2000 // The ECDsa lives as long as the security key that wraps it, i.e. as long as the ring.
        var ecdsa = ECDsa.Create();
#pragma warning restore CA2000
        ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(record.PublicKey), out _);
        return new ECDsaSecurityKey(ecdsa) { KeyId = record.KeyId };
    }

    private ECDsaSecurityKey PrivateKeyOf(SigningKeyRecord record)
    {
#pragma warning disable CA2000 // As above: owned by the ring's cached security key.
        var ecdsa = ECDsa.Create();
#pragma warning restore CA2000
        ecdsa.ImportPkcs8PrivateKey(secrets.Unseal(SecretKind.SigningKey, record.PrivateKeySealed, record.KeyId), out _);
        return new ECDsaSecurityKey(ecdsa) { KeyId = record.KeyId };
    }

    private sealed record LoadedKey(SigningKeyRecord Record, ECDsaSecurityKey PublicKey, Lazy<SecurityKey> PrivateKey);

    private sealed record Snapshot(IReadOnlyList<LoadedKey> Keys, DateTime LoadedAt);
}
