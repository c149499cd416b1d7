using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Secrets;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace GrpcDvc.Tests.Identity;

public sealed partial class TokenServiceTests : IAsyncLifetime
{
    private static readonly ClientContext Client = new("203.0.113.7");
    private IdentityHarness _harness = null!;
    private CitizenAccountRecord _citizen = null!;

    public async Task InitializeAsync()
    {
        _harness = IdentityHarness.Start();
        _citizen = await _harness.AddCitizenAccountAsync();
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task AccessToken_Issued_ValidatesToTheCaller()
    {
        var signedIn = await IssueAsync();

        var caller = await ValidateAsync(signedIn.Tokens.AccessToken);

        Assert.True(caller.Succeeded, caller.Failure?.Reason);
        Assert.Equal(signedIn.Caller with { Roles = [] }, caller.Value with { Roles = [] });
        Assert.Equal([Role.Citizen], caller.Value.Roles);
        Assert.Equal("001203004567", caller.Value.IdNumber);
        var token = new JsonWebToken(signedIn.Tokens.AccessToken);
        Assert.Equal(("ES256", "at+jwt"), (token.Alg, token.Typ));
        Assert.False(string.IsNullOrEmpty(token.Kid));
        Assert.Equal(TimeSpan.FromMinutes(10), token.ValidTo - token.IssuedAt);
    }

    [Fact]
    public async Task AccessToken_AfterTenMinutesAndTheSkew_IsExpired()
    {
        var signedIn = await IssueAsync();
        _harness.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.True((await ValidateAsync(signedIn.Tokens.AccessToken)).Succeeded);

        _harness.Time.Advance(TimeSpan.FromSeconds(30));

        // The message tells the portal what to do next: refresh, not sign in again.
        var expired = (await ValidateAsync(signedIn.Tokens.AccessToken)).Failure;
        Assert.Equal((IdentityReasons.AccessTokenExpired, "The access token has expired; refresh it."), (expired?.Reason, expired?.Message));
    }

    [Fact]
    public async Task AccessToken_Altered_IsInvalid()
    {
        var token = (await IssueAsync()).Tokens.AccessToken;
        var parts = token.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[1]))
            .Replace("\"citizen\"]", "\"administrator\"]", StringComparison.Ordinal);
        var forged = $"{parts[0]}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        Assert.Equal(IdentityReasons.AccessTokenInvalid, (await ValidateAsync(forged)).Failure?.Reason);
        var garbage = (await ValidateAsync("garbage")).Failure;
        Assert.Equal((IdentityReasons.AccessTokenInvalid, "The access token is not valid."), (garbage?.Reason, garbage?.Message));
    }

    [Fact]
    public async Task RefreshToken_Used_IsReplacedByANewPair()
    {
        var first = await IssueAsync();

        var second = await RefreshAsync(first.Tokens.RefreshToken);

        Assert.True(second.Succeeded, second.Failure?.Reason);
        Assert.NotEqual(first.Tokens.RefreshToken, second.Value.Tokens.RefreshToken);
        Assert.Equal(first.Caller.SessionId, second.Value.Caller.SessionId);
        Assert.True((await ValidateAsync(second.Value.Tokens.AccessToken)).Succeeded);
        Assert.True((await RefreshAsync(second.Value.Tokens.RefreshToken)).Succeeded);
    }

    [Fact]
    public async Task RefreshToken_UsedTwice_EndsTheWholeSession()
    {
        var first = await IssueAsync();
        var second = await RefreshAsync(first.Tokens.RefreshToken);

        var reuse = await RefreshAsync(first.Tokens.RefreshToken);

        Assert.Equal(IdentityReasons.RefreshTokenReused, reuse.Failure?.Reason);
        Assert.Equal(IdentityReasons.RefreshTokenRevoked, (await RefreshAsync(second.Value.Tokens.RefreshToken)).Failure?.Reason);
        var audited = await _harness.QueryAsync(db => db.Set<SignInAuditRecord>().SingleAsync(a => a.Method == SignInMethods.Refresh));
        Assert.Equal((IdentityReasons.RefreshTokenReused, _citizen.Id), (audited.Reason, audited.AccountId));
    }

    [Fact]
    public async Task RefreshToken_PresentedTwiceAtOnce_OneWins_TheOtherIsReuseAndEndsTheSession()
    {
        // Ten sessions, so that in some the two reads both come before either claims the token.
        for (var round = 0; round < 10; round++)
        {
            var first = await IssueAsync();
            using var go = new ManualResetEventSlim();
            var refreshes = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                go.Wait();
                return RefreshAsync(first.Tokens.RefreshToken);
            })).ToArray();
            await Task.Delay(20);
            go.Set();
            var answers = await Task.WhenAll(refreshes);

            var winner = Assert.Single(answers, a => a.Succeeded);
            Assert.Equal(IdentityReasons.RefreshTokenReused, Assert.Single(answers, a => !a.Succeeded).Failure?.Reason);
            // A token presented twice may have been stolen: the winner's new pair ends with the session.
            Assert.Equal(IdentityReasons.RefreshTokenRevoked, (await RefreshAsync(winner.Value.Tokens.RefreshToken)).Failure?.Reason);
        }
    }

    [Fact]
    public async Task RefreshToken_ASuccessorTheSignOutDidNotSee_IsRevokedWithItsSession()
    {
        var first = await IssueAsync();
        var second = await RefreshAsync(first.Tokens.RefreshToken);
        // As when a sign-out's update ran while that refresh held the row: the rows it saw are
        // revoked, the successor inserted meanwhile is not.
        var firstHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(first.Tokens.RefreshToken)));
        var now = _harness.Time.GetUtcNow().UtcDateTime;
        Assert.Equal(1, await _harness.QueryAsync(db => db.Set<RefreshTokenRecord>().Where(t => t.TokenHash == firstHash)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedReason, RevokeReasons.SignedOut))));

        var third = await RefreshAsync(second.Value.Tokens.RefreshToken);

        Assert.Equal(IdentityReasons.RefreshTokenRevoked, third.Failure?.Reason);
        Assert.Equal(0, await _harness.QueryAsync(db => db.Set<SignInAuditRecord>().CountAsync(a => a.Reason == IdentityReasons.RefreshTokenReused)));
    }

    [Fact]
    public async Task RefreshToken_StoredOnlyAsItsHash()
    {
        var signedIn = await IssueAsync();

        var stored = await _harness.QueryAsync(db => db.Set<RefreshTokenRecord>().SingleAsync());

        Assert.Equal(64, stored.TokenHash.Length);
        Assert.NotEqual(signedIn.Tokens.RefreshToken, stored.TokenHash);
        Assert.Equal(43, signedIn.Tokens.RefreshToken.Length); // 256 bits, base64url
    }

    [Fact]
    public async Task SignOut_RevokesTheSession_OtherSessionsStay()
    {
        var phone = await IssueAsync();
        var laptop = await IssueAsync();

        Assert.True(await _harness.RunAsync<TokenService, bool>(t => t.RevokeAsync(phone.Tokens.RefreshToken, CancellationToken.None)));

        Assert.Equal(IdentityReasons.RefreshTokenRevoked, (await RefreshAsync(phone.Tokens.RefreshToken)).Failure?.Reason);
        Assert.True((await RefreshAsync(laptop.Tokens.RefreshToken)).Succeeded);
        Assert.False(await _harness.RunAsync<TokenService, bool>(t => t.RevokeAsync("unknown", CancellationToken.None)));
    }

    [Fact]
    public async Task RefreshToken_UnusedForItsLifetime_IsExpired()
    {
        var signedIn = await IssueAsync();
        _harness.Time.Advance(TimeSpan.FromDays(14));

        Assert.Equal(IdentityReasons.RefreshTokenExpired, (await RefreshAsync(signedIn.Tokens.RefreshToken)).Failure?.Reason);
    }

    [Fact]
    public async Task RefreshToken_NearTheSessionsEnd_LivesNoLongerThanTheSession()
    {
        var signedIn = await IssueAsync();
        _harness.Time.Advance(TimeSpan.FromDays(13));
        var second = await RefreshAsync(signedIn.Tokens.RefreshToken);
        _harness.Time.Advance(TimeSpan.FromDays(13));
        var third = await RefreshAsync(second.Value.Tokens.RefreshToken);

        var newest = await _harness.QueryAsync(db => db.Set<RefreshTokenRecord>().AsNoTracking().OrderByDescending(t => t.CreatedAt).FirstAsync());
        // Refreshed at day 26 with a 14-day lifetime, the token would run to day 40: the session's 30 days end it first.
        Assert.Equal(newest.FamilyExpiresAt, newest.ExpiresAt);
        Assert.Equal(TimeSpan.FromDays(4), newest.ExpiresAt - _harness.Time.GetUtcNow().UtcDateTime);
        _harness.Time.Advance(TimeSpan.FromDays(4) + TimeSpan.FromSeconds(1));
        Assert.Equal(IdentityReasons.RefreshTokenExpired, (await RefreshAsync(third.Value.Tokens.RefreshToken)).Failure?.Reason);
    }

    [Fact]
    public async Task RefreshToken_OfAnOfficial_GivesThatOfficialsCaller_AmongOthers()
    {
        var first = await AddOfficialAsync("canbo.mot", "CAX-HN-BADINH");
        var second = await AddOfficialAsync("canbo.hai", "CAX-HN-HOANKIEM");
        var signedIn = await _harness.RunAsync<TokenService, SignedIn>(t => t.IssueAsync(second, CancellationToken.None));

        var refreshed = await RefreshAsync(signedIn.Tokens.RefreshToken);

        Assert.True(refreshed.Succeeded, refreshed.Failure?.Reason);
        Assert.Equal((second.Id, "CAX-HN-HOANKIEM"), (refreshed.Value.Caller.AccountId, refreshed.Value.Caller.AgencyUnit));
        Assert.NotEqual(first.Id, refreshed.Value.Caller.AccountId);
    }

    [Fact]
    public async Task RefreshToken_Absurd_IsInvalid_NotLookedUp()
    {
        var tooLong = new string('A', 129);

        Assert.Equal(IdentityReasons.RefreshTokenInvalid, (await RefreshAsync(tooLong)).Failure?.Reason);
        Assert.Equal(IdentityReasons.RefreshTokenInvalid, (await RefreshAsync("")).Failure?.Reason);
    }

    [Fact]
    public async Task RefreshToken_OfADisabledAccount_IsRefused()
    {
        var signedIn = await IssueAsync();
        await _harness.QueryAsync(db => db.Set<CitizenAccountRecord>().ExecuteUpdateAsync(s => s.SetProperty(a => a.Disabled, true)));

        Assert.Equal(IdentityReasons.AccountDisabled, (await RefreshAsync(signedIn.Tokens.RefreshToken)).Failure?.Reason);
    }

    [Fact]
    public async Task SigningKey_Rotated_NewTokensUseTheNewKey_OldTokensStayValidUntilTheyExpire()
    {
        var before = await IssueAsync();
        var ring = _harness.Services.GetRequiredService<SigningKeyRing>();
        var oldKid = new JsonWebToken(before.Tokens.AccessToken).Kid;

        var newKid = await ring.RotateSigningKeyAsync();

        // Published, not yet signing: other instances get time to learn the key.
        Assert.Equal(oldKid, Kid(await IssueAsync()));
        _harness.Time.Advance(TimeSpan.FromMinutes(2));
        var after = await IssueAsync();
        Assert.Equal(newKid, Kid(after));
        Assert.NotEqual(oldKid, newKid);
        Assert.True((await ValidateAsync(before.Tokens.AccessToken)).Succeeded);
        Assert.True((await ValidateAsync(after.Tokens.AccessToken)).Succeeded);

        _harness.Time.Advance(TimeSpan.FromMinutes(8) + TimeSpan.FromSeconds(30));
        Assert.Equal(IdentityReasons.AccessTokenExpired, (await ValidateAsync(before.Tokens.AccessToken)).Failure?.Reason);
        // Once the old key's last possible token has expired, the next rotation forgets it.
        _harness.Time.Advance(TimeSpan.FromMinutes(2));
        await ring.RotateSigningKeyAsync();
        var kept = await _harness.QueryAsync(db => db.Set<SigningKeyRecord>().Select(k => k.KeyId).ToListAsync());
        Assert.DoesNotContain(oldKid, kept);
        Assert.Contains(newKid, kept);
    }

    [Fact]
    public async Task SigningKey_RotatedOnAnotherInstance_IsAcceptedHereAtOnce()
    {
        var options = _harness.Services.GetRequiredService<IdentityOptions>();
        using var otherRing = new SigningKeyRing(_harness.Services.GetRequiredService<IServiceScopeFactory>(),
            _harness.Services.GetRequiredService<IdentitySecrets>(), options, _harness.Time);
        var otherInstance = new AccessTokenCodec(otherRing, options, _harness.Time, new VerifiedTokens());
        var before = await IssueAsync();
        Assert.True((await otherInstance.ValidateAsync(before.Tokens.AccessToken, CancellationToken.None)).Succeeded);

        await _harness.Services.GetRequiredService<SigningKeyRing>().RotateSigningKeyAsync();
        _harness.Time.Advance(TimeSpan.FromMinutes(2));
        var after = await IssueAsync();

        Assert.True((await otherInstance.ValidateAsync(after.Tokens.AccessToken, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task SigningKey_StoredPrivateKey_IsSealed()
    {
        await IssueAsync();

        var key = await _harness.QueryAsync(db => db.Set<SigningKeyRecord>().SingleAsync());
        var secrets = _harness.Services.GetRequiredService<IdentitySecrets>();

        // Bound to its kid and its kind: moved to another key's row, or read as another kind of secret, it does not open.
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => secrets.Unseal(SecretKind.SigningKey, key.PrivateKeySealed, "another-kid"));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => secrets.Unseal(SecretKind.TotpSeed, key.PrivateKeySealed, key.KeyId));
        using var ecdsa = System.Security.Cryptography.ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(secrets.Unseal(SecretKind.SigningKey, key.PrivateKeySealed, key.KeyId), out _);
    }

    private async Task<OfficialAccountRecord> AddOfficialAsync(string username, string unit)
    {
        var official = new OfficialAccountRecord
        {
            Id = Guid.NewGuid(),
            Username = username,
            FullName = "Cán bộ " + username,
            AgencyUnitCode = unit,
            PasswordHash = "v1$unused",
            TotpSecretSealed = "unused",
            CreatedAt = _harness.Time.GetUtcNow().UtcDateTime,
            Roles = [new OfficialRoleRecord { Role = "intake_officer" }],
        };
        await _harness.QueryAsync(db =>
        {
            db.Add(official);
            return db.SaveChangesAsync();
        });
        return official;
    }

    private static string Kid(SignedIn signedIn) => new JsonWebToken(signedIn.Tokens.AccessToken).Kid;

    private async Task<SignedIn> IssueAsync()
    {
        await using var scope = _harness.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Server.Storage.DvcDbContext>();
        var account = await db.Set<CitizenAccountRecord>().SingleAsync(a => a.Id == _citizen.Id);
        return await scope.ServiceProvider.GetRequiredService<TokenService>().IssueAsync(account, CancellationToken.None);
    }

    private Task<IdentityResult<SignedIn>> RefreshAsync(string token)
        => _harness.RunAsync<TokenService, IdentityResult<SignedIn>>(t => t.RefreshAsync(token, Client, CancellationToken.None));

    private Task<IdentityResult<CallerIdentity>> ValidateAsync(string token)
        => _harness.RunAsync<TokenService, IdentityResult<CallerIdentity>>(t => t.ValidateAccessTokenAsync(token, CancellationToken.None));
}
