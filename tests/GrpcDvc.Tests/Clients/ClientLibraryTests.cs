using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Catalog.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Tests.Access;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Clients;

/// <summary>clients/GrpcDvc.Client against the real server: channels, tokens that refresh themselves, rich errors, DI.</summary>
public sealed class ClientLibraryTests(InProcessServerFixture fixture) : IClassFixture<InProcessServerFixture>
{
    private InProcessServer Server => fixture.Server;

    [Fact]
    public async Task Session_AccessTokenDue_RefreshesOnceThenCallsWithTheNewToken()
    {
        using var plain = DvcChannel.Create(Server.GrpcAddress);
        var signedIn = await CitizenSignInAsync(plain, "001090001111");
        using var session = new DvcSession(new IdentityService.IdentityServiceClient(plain), Due(signedIn));
        var rotations = 0;
        session.TokensChanged += _ => rotations++;
        using var channel = DvcChannel.Create(Server.GrpcAddress, new DvcChannelOptions { Credentials = session.ToCallCredentials(), AllowTokensWithoutTls = true });
        var identity = new IdentityService.IdentityServiceClient(channel);

        var first = await identity.WhoAmIAsync(new WhoAmIRequest());
        var second = await identity.WhoAmIAsync(new WhoAmIRequest());

        Assert.Equal(Caller.Types.Kind.Citizen, first.Caller.Kind);
        Assert.Equal(first.Caller.AccountId, second.Caller.AccountId);
        Assert.Equal(1, rotations);
        Assert.NotEqual(signedIn.AccessToken, session.Tokens!.AccessToken);
        Assert.NotEqual(signedIn.RefreshToken, session.Tokens.RefreshToken);
    }

    [Fact]
    public async Task Session_SignedOut_SendsNoTokenAndTheOldRefreshTokenIsDead()
    {
        using var plain = DvcChannel.Create(Server.GrpcAddress);
        var signedIn = await CitizenSignInAsync(plain, "001090002222");
        var identity = new IdentityService.IdentityServiceClient(plain);
        using var session = new DvcSession(identity);
        session.Accept(Due(signedIn));

        await session.SignOutAsync();

        Assert.Null(await session.GetAccessTokenAsync(CancellationToken.None));
        var refused = await Assert.ThrowsAsync<RpcException>(() => identity.RefreshTokensAsync(new RefreshTokensRequest { RefreshToken = signedIn.RefreshToken }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task RichErrors_InvalidListing_ReadAsFieldViolationsAndReason()
    {
        using var channel = DvcChannel.Create(Server.GrpcAddress);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new CatalogService.CatalogServiceClient(channel)
            .ListProceduresAsync(new ListProceduresRequest { Page = new PageRequest { PageSize = -1 } }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains(ex.GetBadRequest()!.FieldViolations, v => v.Field == "page.page_size" && v.Reason == "PAGE_SIZE_NEGATIVE");
        Assert.Equal("INVALID_ARGUMENT", ex.GetErrorInfo()!.Reason);
        Assert.Null(ex.GetRetryInfo());
    }

    [Fact]
    public async Task ClientFactory_WithATokenSource_EveryClientCallsAsTheSignedInCaller()
    {
        var signedIn = await TestCallers.OfficialSignedInAsync(Server, "P34-04", Role.Auditor);
        var services = new ServiceCollection()
            .AddSingleton<IAccessTokenSource>(new FixedToken(signedIn.AccessToken))
            .AddDvcClients(Server.GrpcAddress, options => options.AllowTokensWithoutTls = true);
        await using var provider = services.BuildServiceProvider();

        var who = await provider.GetRequiredService<IdentityService.IdentityServiceClient>().WhoAmIAsync(new WhoAmIRequest());
        var procedures = await provider.GetRequiredService<CatalogService.CatalogServiceClient>().ListProceduresAsync(new ListProceduresRequest());

        Assert.Contains(Role.Auditor, who.Caller.Roles);
        Assert.Equal(35, procedures.Procedures.Count);
    }

    [Fact]
    public void Channel_OtherSchemeThanHttpOrHttps_IsRefused()
        => Assert.Throws<ArgumentException>(() => DvcChannel.Create(new Uri("ftp://127.0.0.1:21")));

    /// <summary>A citizen signed in VNeID-style (the development issuer's assertion), as a portal would get tokens.</summary>
    private static async Task<TokenResponse> CitizenSignInAsync(Grpc.Net.Client.GrpcChannel channel, string idNumber)
    {
        var assertion = await new DevelopmentService.DevelopmentServiceClient(channel).IssueDevelopmentAssertionAsync(
            new IssueDevelopmentAssertionRequest { IdNumber = idNumber, FullName = "Phạm Thị Thử", BirthDate = "1990-01-01", AssuranceLevel = 2 });
        return await new IdentityService.IdentityServiceClient(channel).ExchangeIdentityAssertionAsync(
            new ExchangeIdentityAssertionRequest { Assertion = assertion.Assertion });
    }

    /// <summary>The tokens of a sign-in, with the access token already within its refresh margin.</summary>
    private static TokenResponse Due(TokenResponse tokens)
    {
        var due = tokens.Clone();
        due.AccessTokenExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(5));
        return due;
    }

    private sealed class FixedToken(string token) : IAccessTokenSource
    {
        public ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(token);
    }
}
