using System.Security.Cryptography;
using System.Text;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Secrets;
using GrpcDvc.Server.Identity.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Quartz;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// The scheduled signing-key rotation on a fake clock: keys live one day here, published two
/// minutes before they sign; access tokens live ten minutes with thirty seconds of skew.
/// </summary>
public sealed partial class SigningKeyRotationTests : IAsyncLifetime
{
    private static readonly TimeSpan KeyLifetime = TimeSpan.FromDays(1);
    private static readonly TimeSpan PublishDelay = TimeSpan.FromMinutes(2);
    private IdentityHarness _harness = null!;
    private CitizenAccountRecord _citizen = null!;

    public async Task InitializeAsync()
    {
        _harness = IdentityHarness.Start(settings: new Dictionary<string, string?>
        {
            ["Dvc:Identity:SigningKeys:Lifetime"] = "1.00:00:00",
            ["Dvc:Identity:SigningKeys:RotationCheckInterval"] = "00:10:00",
        });
        _citizen = await _harness.AddCitizenAccountAsync();
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ScheduledRotation_TwoRotations_OldTokensLiveOutTheirLifetime_NewTokensUseTheNewestKey_KeysPastTheOverlapAreRefused()
    {
        var job = Job(_harness.Services.GetRequiredService<SigningKeyRing>());
        var first = await IssueAsync();
        var firstKey = await SignerAsync();

        // First rotation, due one day after the first key began signing.
        _harness.Time.Advance(KeyLifetime - TimeSpan.FromMinutes(1));
        var beforeFirst = await IssueAsync();
        Assert.Equal(Kid(first), Kid(beforeFirst));
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        var secondKid = await job.RunAsync(CancellationToken.None);
        Assert.NotNull(secondKid);
        _harness.Time.Advance(PublishDelay);
        var afterFirst = await IssueAsync();
        Assert.Equal(secondKid, Kid(afterFirst));
        // Overlap: the token the retired key signed three minutes ago still validates, until it expires.
        Assert.True((await ValidateAsync(beforeFirst)).Succeeded);
        _harness.Time.Advance(TimeSpan.FromMinutes(7));
        Assert.True((await ValidateAsync(beforeFirst)).Succeeded);
        _harness.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(IdentityReasons.AccessTokenExpired, (await ValidateAsync(beforeFirst)).Failure?.Reason);

        // Second rotation, one day after the second key began signing.
        _harness.Time.Advance(KeyLifetime - TimeSpan.FromMinutes(7) - TimeSpan.FromSeconds(31));
        var beforeSecond = await IssueAsync();
        Assert.Equal(secondKid, Kid(beforeSecond));
        var secondKey = await SignerAsync();
        var thirdKid = await job.RunAsync(CancellationToken.None);
        Assert.NotNull(thirdKid);
        Assert.NotEqual(secondKid, thirdKid);
        _harness.Time.Advance(PublishDelay);
        var afterSecond = await IssueAsync();
        Assert.Equal(thirdKid, Kid(afterSecond));
        Assert.True((await ValidateAsync(afterSecond)).Succeeded);
        Assert.True((await ValidateAsync(beforeSecond)).Succeeded);
        // A fresh token signed now with the key retired two minutes ago is still inside the overlap...
        Assert.True((await ValidateAsync(Resign(afterSecond, secondKey))).Succeeded);
        // ...and one signed with the first key, retired a day ago, is refused however fresh it is.
        Assert.Equal(IdentityReasons.AccessTokenInvalid, (await ValidateAsync(Resign(afterSecond, firstKey))).Failure?.Reason);
        var kept = await _harness.QueryAsync(db => db.Set<SigningKeyRecord>().Select(k => k.KeyId).ToListAsync());
        Assert.Equal([secondKid, thirdKid], kept.Order(StringComparer.Ordinal));

        // Once the overlap (token lifetime + skew) has passed, the second key is refused too.
        _harness.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(30));
        var fresh = await IssueAsync();
        Assert.Equal(thirdKid, Kid(fresh));
        Assert.True((await ValidateAsync(fresh)).Succeeded);
        Assert.Equal(IdentityReasons.AccessTokenInvalid, (await ValidateAsync(Resign(fresh, secondKey))).Failure?.Reason);
    }

    [Fact]
    public async Task VerifiedToken_KeyWithdrawnFromTheRing_EndsTheRememberedTokenAtTheNextReread()
    {
        var token = await IssueAsync();
        Assert.True((await ValidateAsync(token)).Succeeded); // its signature checked once and remembered
        Assert.True((await ValidateAsync(token)).Succeeded);

        // An operator withdraws the key (say it leaked): once this instance rereads the ring, the token
        // it remembered as verified is refused, although it has minutes left to live.
        Assert.Equal(1, await _harness.QueryAsync(db => db.Set<SigningKeyRecord>().ExecuteDeleteAsync()));
        _harness.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(IdentityReasons.AccessTokenInvalid, (await ValidateAsync(token)).Failure?.Reason);
        Assert.False(_harness.Services.GetRequiredService<VerifiedTokens>().TryGet(token, out _)); // not kept to be refused again
    }

    [Fact]
    public async Task SigningKeyWithdrawn_WhileARotatedKeyWaits_TheKeyMadeAtOnceDoesNotRetireTheWaitingOne()
    {
        await IssueAsync();
        var ring = _harness.Services.GetRequiredService<SigningKeyRing>();
        var waiting = await ring.RotateSigningKeyAsync(); // signs in two minutes
        // The signing key is withdrawn (say it leaked): the next token needs a key now, made on the spot.
        Assert.Equal(1, await _harness.QueryAsync(db => db.Set<SigningKeyRecord>().Where(k => k.KeyId != waiting).ExecuteDeleteAsync()));
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        var stopGap = Kid(await IssueAsync());
        Assert.NotEqual(waiting, stopGap);

        // The rotation already published still takes over when it is due.
        _harness.Time.Advance(PublishDelay);
        await ring.ValidationKeysAsync(waiting, CancellationToken.None);
        Assert.Equal(waiting, Kid(await IssueAsync()));
    }

    [Fact]
    public async Task RotationJob_RunsWhenDue_RotatesOnce_AndIsANoOpBeforeAndOnEveryOtherInstance()
    {
        var job = Job(_harness.Services.GetRequiredService<SigningKeyRing>());
        using var otherRing = OtherInstanceRing();

        Assert.Null(await job.RunAsync(CancellationToken.None)); // an empty ring: the first token makes the key
        Assert.Equal(0, await KeyCountAsync());
        await IssueAsync();
        _harness.Time.Advance(KeyLifetime - TimeSpan.FromSeconds(1));
        Assert.Null(await job.RunAsync(CancellationToken.None));
        Assert.Equal(1, await KeyCountAsync());

        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        await otherRing.ValidationKeysAsync(null, CancellationToken.None); // the other instance has read the ring: the old key, due
        var rotated = await job.RunAsync(CancellationToken.None);
        Assert.NotNull(rotated);
        Assert.Equal(2, await KeyCountAsync());

        // Its cached ring still shows the old key as due, but the database says another instance rotated it.
        Assert.Null(await Job(otherRing).RunAsync(CancellationToken.None));
        Assert.Null(await job.RunAsync(CancellationToken.None));
        Assert.Equal(2, await KeyCountAsync());
        Assert.Contains(await otherRing.ValidationKeysAsync(null, CancellationToken.None), key => key.KeyId == rotated);
    }

    [Fact]
    public async Task RotationJob_Registered_IsScheduledEveryConfiguredInterval_OnTheInjectedClock()
    {
        var scheduler = await _harness.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        var trigger = Assert.Single(await scheduler.GetTriggersOfJob(SigningKeyRotationJob.Key));

        Assert.Equal(TimeSpan.FromMinutes(10), Assert.IsAssignableFrom<ISimpleTrigger>(trigger).RepeatInterval);
        Assert.Equal(_harness.Time.GetUtcNow() + TimeSpan.FromMinutes(10), trigger.StartTimeUtc); // on the injected clock, one interval after start
    }

    [Fact]
    public async Task UnknownKid_RereadsTheRingAtOnce_ButAtMostOnceASecond()
    {
        var (ring, made) = await KeyPublishedElsewhereAsync();

        // Within a second of its last read, a kid it does not know is refused without asking the
        // database: a flood of made-up kids costs one read a second, not one per call.
        _harness.Time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.False(await KnowsAsync(ring, made, asked: made));
        _harness.Time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(await KnowsAsync(ring, made, asked: made));
    }

    [Fact]
    public async Task Ring_KeyPublishedElsewhere_IsLearnedAtTheRefreshInterval_NotBefore()
    {
        var (ring, made) = await KeyPublishedElsewhereAsync();

        _harness.Time.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromMilliseconds(1));
        Assert.False(await KnowsAsync(ring, made, asked: null));
        _harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await KnowsAsync(ring, made, asked: null));
    }

    [Fact]
    public async Task Rotation_TheRotatingInstance_AcceptsItsNewKeyAtOnce()
    {
        var ring = _harness.Services.GetRequiredService<SigningKeyRing>();
        await IssueAsync();

        var rotated = await ring.RotateSigningKeyAsync();
        Assert.Contains(await ring.ValidationKeysAsync(null, CancellationToken.None), key => key.KeyId == rotated);

        _harness.Time.Advance(PublishDelay + KeyLifetime); // the rotated key has signed for its lifetime
        await ring.ValidationKeysAsync(null, CancellationToken.None); // read just before the job runs
        var scheduled = await Job(ring).RunAsync(CancellationToken.None);
        Assert.NotNull(scheduled);
        Assert.Contains(await ring.ValidationKeysAsync(null, CancellationToken.None), key => key.KeyId == scheduled);
    }

    [Fact]
    public async Task RetiredKey_ValidatesForOneTokenLifetimePlusTheSkew_ToTheSecond()
    {
        await IssueAsync();
        var retiring = await SignerAsync();
        await _harness.Services.GetRequiredService<SigningKeyRing>().RotateSigningKeyAsync();
        _harness.Time.Advance(PublishDelay); // the old key retires now

        _harness.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(29));
        Assert.True((await ValidateAsync(Resign(await IssueAsync(), retiring))).Succeeded);
        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(IdentityReasons.AccessTokenInvalid, (await ValidateAsync(Resign(await IssueAsync(), retiring))).Failure?.Reason);
    }

    /// <summary>This instance has read the ring (one key); then another instance publishes a key.</summary>
    private async Task<(SigningKeyRing Ring, string Made)> KeyPublishedElsewhereAsync()
    {
        await IssueAsync();
        using var otherRing = OtherInstanceRing();
        return (_harness.Services.GetRequiredService<SigningKeyRing>(), await otherRing.RotateSigningKeyAsync());
    }

    private static async Task<bool> KnowsAsync(SigningKeyRing ring, string kid, string? asked)
        => (await ring.ValidationKeysAsync(asked, CancellationToken.None)).Any(key => key.KeyId == kid);

    private static SigningKeyRotationJob Job(SigningKeyRing ring) => new(ring, NullLogger<SigningKeyRotationJob>.Instance);

    private SigningKeyRing OtherInstanceRing() => new(_harness.Services.GetRequiredService<IServiceScopeFactory>(),
        _harness.Services.GetRequiredService<IdentitySecrets>(), _harness.Services.GetRequiredService<IdentityOptions>(), _harness.Time);

    private Task<int> KeyCountAsync() => _harness.QueryAsync(db => db.Set<SigningKeyRecord>().CountAsync());

    private Task<SigningCredentials> SignerAsync()
        => _harness.Services.GetRequiredService<SigningKeyRing>().SigningCredentialsAsync(CancellationToken.None);

    private static string Kid(string token) => new JsonWebToken(token).Kid;

    /// <summary>The same claims and times as <paramref name="token"/>, signed with another key of the ring under its kid.</summary>
    private static string Resign(string token, SigningCredentials key)
    {
        var header = Base64UrlEncoder.Encode(
            $$"""{"alg":"ES256","kid":"{{key.Key.KeyId}}","typ":"{{AccessTokenCodec.TokenType}}"}""");
        var signed = $"{header}.{token.Split('.')[1]}";
        var signature = ((ECDsaSecurityKey)key.Key).ECDsa.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256);
        return $"{signed}.{Base64UrlEncoder.Encode(signature)}";
    }

    private async Task<string> IssueAsync()
    {
        await using var scope = _harness.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Server.Storage.DvcDbContext>();
        var account = await db.Set<CitizenAccountRecord>().SingleAsync(a => a.Id == _citizen.Id);
        var signedIn = await scope.ServiceProvider.GetRequiredService<TokenService>().IssueAsync(account, CancellationToken.None);
        return signedIn.Tokens.AccessToken;
    }

    private Task<IdentityResult<CallerIdentity>> ValidateAsync(string token)
        => _harness.Services.GetRequiredService<AccessTokenCodec>().ValidateAsync(token, CancellationToken.None);
}
