using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Tests.Identity;

/// <summary>Refresh-token families: which check answers first, and what a refusal leaves behind.</summary>
public sealed partial class TokenServiceTests
{
    [Fact]
    public async Task RefreshToken_UsedThenPresentedAfterItsOwnExpiry_IsStillReuse_AndEndsTheLiveSuccessor()
    {
        // Used on day 13, the first token expires on day 14; its successor lives to day 27. A thief
        // replaying the old token on day 15 must still set off the alarm: "expired" would leave the
        // successor (perhaps in the thief's hands) alive.
        var first = await IssueAsync();
        _harness.Time.Advance(TimeSpan.FromDays(13));
        var second = await RefreshAsync(first.Tokens.RefreshToken);
        _harness.Time.Advance(TimeSpan.FromDays(2));

        var replay = await RefreshAsync(first.Tokens.RefreshToken);

        Assert.Equal(IdentityReasons.RefreshTokenReused, replay.Failure?.Reason);
        Assert.Equal(IdentityReasons.RefreshTokenRevoked, (await RefreshAsync(second.Value.Tokens.RefreshToken)).Failure?.Reason);
        Assert.Equal(1, await _harness.QueryAsync(db => db.Set<SignInAuditRecord>().CountAsync(a => a.Reason == IdentityReasons.RefreshTokenReused)));
    }

    [Fact]
    public async Task RefreshToken_OfADisabledAccount_EndsTheSession_SoEnablingTheAccountAgainDoesNotReviveIt()
    {
        var signedIn = await IssueAsync();
        await SetCitizenDisabledAsync(true);
        Assert.Equal(IdentityReasons.AccountDisabled, (await RefreshAsync(signedIn.Tokens.RefreshToken)).Failure?.Reason);

        await SetCitizenDisabledAsync(false);

        Assert.Equal(IdentityReasons.RefreshTokenRevoked, (await RefreshAsync(signedIn.Tokens.RefreshToken)).Failure?.Reason);
        var stored = await _harness.QueryAsync(db => db.Set<RefreshTokenRecord>().AsNoTracking().SingleAsync());
        Assert.Equal(RevokeReasons.AccountDisabled, stored.RevokedReason);
    }

    [Fact]
    public async Task RefreshToken_OfADisabledOfficial_IsRefusedAsDisabled()
    {
        var official = await AddOfficialAsync("canbo.khoa", "CAX-HN-BADINH");
        var signedIn = await _harness.RunAsync<TokenService, SignedIn>(t => t.IssueAsync(official, CancellationToken.None));
        await _harness.QueryAsync(db => db.Set<OfficialAccountRecord>().Where(a => a.Id == official.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.Disabled, true)));

        var refused = await RefreshAsync(signedIn.Tokens.RefreshToken);

        Assert.Equal((FailureKind.PermissionDenied, IdentityReasons.AccountDisabled), (refused.Failure?.Kind, refused.Failure?.Reason));
    }

    [Fact]
    public async Task RefreshToken_Null_IsInvalid_AndSignsNothingOut()
    {
        // A client library may send no token at all: answered as an unknown token, not as a server error.
        await IssueAsync();

        var refreshed = await _harness.RunAsync<TokenService, IdentityResult<SignedIn>>(t => t.RefreshAsync(null, Client, CancellationToken.None));
        var signedOut = await _harness.RunAsync<TokenService, bool>(t => t.RevokeAsync(null, CancellationToken.None));

        Assert.Equal(IdentityReasons.RefreshTokenInvalid, refreshed.Failure?.Reason);
        Assert.False(signedOut);
        Assert.Equal(0, await _harness.QueryAsync(db => db.Set<RefreshTokenRecord>().CountAsync(t => t.RevokedAt != null)));
    }

    private Task<int> SetCitizenDisabledAsync(bool disabled)
        => _harness.QueryAsync(db => db.Set<CitizenAccountRecord>().Where(a => a.Id == _citizen.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.Disabled, disabled)));
}
