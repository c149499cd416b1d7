using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

/// <summary>The access-token reader authentication calls: the bearer scheme it tolerates, and the signatures it remembers.</summary>
public sealed class AccessTokenReaderTests : IAsyncLifetime
{
    private IdentityHarness _harness = null!;
    private CitizenAccountRecord _citizen = null!;

    public async Task InitializeAsync()
    {
        _harness = IdentityHarness.Start();
        _citizen = await _harness.AddCitizenAccountAsync();
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData("Bearer ")]
    [InlineData("bearer ")]
    [InlineData("BEARER   ")]
    public async Task Token_WithALeadingBearerScheme_InAnyCase_ReadsAsTheTokenItself(string scheme)
    {
        // IAccessTokenReader's contract: "a leading 'Bearer ' is tolerated", so a caller may pass the header as it came.
        var signedIn = await SignInAsync();

        var read = await Reader.ReadAsync(scheme + signedIn.Tokens.AccessToken, CancellationToken.None);

        Assert.Equal(signedIn.Caller.SessionId, read.Caller?.SessionId);
    }

    [Fact]
    public async Task Token_WhoseSignatureCheckedOut_IsRemembered_AForgedOneIsNot()
    {
        var signedIn = await SignInAsync();
        var token = signedIn.Tokens.AccessToken;
        var parts = token.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{parts[2][..^4]}AAAA";
        var verified = _harness.Services.GetRequiredService<VerifiedTokens>();

        Assert.NotNull((await Reader.ReadAsync(token, CancellationToken.None)).Caller);
        Assert.Equal(IdentityReasons.AccessTokenInvalid, (await Reader.ReadAsync(forged, CancellationToken.None)).RefusalReason);

        // The next call with the same token skips the signature check; the forged text is checked (and refused) every time.
        Assert.True(verified.TryGet(token, out var remembered));
        Assert.Equal((new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Kid, signedIn.Caller.AccountId), (remembered.Kid, remembered.Caller.AccountId));
        Assert.False(verified.TryGet(forged, out _));
    }

    private IAccessTokenReader Reader => _harness.Services.GetRequiredService<IAccessTokenReader>();

    private async Task<SignedIn> SignInAsync()
    {
        await using var scope = _harness.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Server.Storage.DvcDbContext>();
        var account = await db.Set<CitizenAccountRecord>().SingleAsync(a => a.Id == _citizen.Id);
        return await scope.ServiceProvider.GetRequiredService<TokenService>().IssueAsync(account, CancellationToken.None);
    }
}
