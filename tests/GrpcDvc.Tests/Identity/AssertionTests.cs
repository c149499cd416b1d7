using System.Security.Cryptography;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Assertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GrpcDvc.Tests.Identity;

/// <summary>VNeID-style identity assertions: the development issuer and a configured RS256 issuer.</summary>
public sealed class AssertionTests : IAsyncLifetime, IDisposable
{
    private const string IdNumber = "001203004567";
    private const string ConfiguredIssuer = "https://vneid.example.vn";
    private static readonly DateOnly BirthDate = new(2003, 5, 17);

    private readonly RSA _configuredKey = RSA.Create(2048);
    private IdentityHarness _harness = null!;

    public Task InitializeAsync()
    {
        _harness = IdentityHarness.Start(settings: new Dictionary<string, string?>
        {
            ["Dvc:Identity:Assertions:TrustedIssuers:0:Name"] = ConfiguredIssuer,
            ["Dvc:Identity:Assertions:TrustedIssuers:0:Keys:0:KeyId"] = "rsa-2026",
            ["Dvc:Identity:Assertions:TrustedIssuers:0:Keys:0:PublicKeyPem"] = _configuredKey.ExportSubjectPublicKeyInfoPem(),
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    public void Dispose() => _configuredKey.Dispose();

    [Fact]
    public async Task Assertion_FromTheDevelopmentIssuer_IsAccepted()
    {
        var result = await ValidateAsync(_harness.Issuer.Mint(IdNumber, "Nguyễn Văn An", BirthDate, level: 2));

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal((IdNumber, "Nguyễn Văn An", BirthDate, 2, _harness.Issuer.Name),
            (result.Value.IdNumber, result.Value.FullName, result.Value.BirthDate, result.Value.Level, result.Value.Issuer));
    }

    [Fact]
    public async Task Assertion_FromAConfiguredRs256Issuer_IsAccepted()
    {
        var result = await ValidateAsync(MintConfigured(_configuredKey, "rsa-2026"));

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal((ConfiguredIssuer, 1), (result.Value.Issuer, result.Value.Level));
    }

    [Fact]
    public async Task Assertion_FromAnIssuerNotConfigured_IsUntrusted()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var stranger = new DevelopmentIdentityIssuer("https://vneid.attacker.example", key, "grpcdvc-portal", _harness.Time);

        var result = await ValidateAsync(stranger.Mint(IdNumber, "Nguyễn Văn An", BirthDate, 2));

        Assert.Equal(IdentityReasons.AssertionUntrustedIssuer, result.Failure?.Reason);
    }

    [Fact]
    public async Task Assertion_WithATrustedNameButAnotherKey_IsInvalid()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forger = new DevelopmentIdentityIssuer(_harness.Issuer.Name, key, "grpcdvc-portal", _harness.Time);
        using var otherRsa = RSA.Create(2048);

        Assert.Equal(IdentityReasons.AssertionInvalid, (await ValidateAsync(forger.Mint(IdNumber, "Nguyễn Văn An", BirthDate, 2))).Failure?.Reason);
        Assert.Equal(IdentityReasons.AssertionInvalid, (await ValidateAsync(MintConfigured(otherRsa, "rsa-2026"))).Failure?.Reason);
    }

    [Fact]
    public async Task Assertion_ForAnotherAudience_IsInvalid()
    {
        var assertion = _harness.Issuer.Mint(IdNumber, "Nguyễn Văn An", BirthDate, 2, audience: "another-portal");

        Assert.Equal(IdentityReasons.AssertionInvalid, (await ValidateAsync(assertion)).Failure?.Reason);
    }

    [Fact]
    public async Task Assertion_PastItsExpiry_IsExpired()
    {
        var assertion = _harness.Issuer.Mint(IdNumber, "Nguyễn Văn An", BirthDate, 2, lifetime: TimeSpan.FromMinutes(2));
        _harness.Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(31));

        Assert.Equal(IdentityReasons.AssertionExpired, (await ValidateAsync(assertion)).Failure?.Reason);
    }

    [Fact]
    public async Task Assertion_LivingLongerThanFiveMinutes_IsInvalid()
    {
        var assertion = _harness.Issuer.Mint(IdNumber, "Nguyễn Văn An", BirthDate, 2, lifetime: TimeSpan.FromHours(1));

        Assert.Equal(IdentityReasons.AssertionInvalid, (await ValidateAsync(assertion)).Failure?.Reason);
    }

    [Fact]
    public async Task Assertion_PresentedTwice_IsAReplay()
    {
        var assertion = _harness.Issuer.Mint(IdNumber, "Nguyễn Văn An", BirthDate, 2);
        Assert.True((await ValidateAsync(assertion)).Succeeded);

        Assert.Equal(IdentityReasons.AssertionReplayed, (await ValidateAsync(assertion)).Failure?.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task Assertion_WithALevelOtherThanOneOrTwo_IsInvalid(int level)
        => Assert.Equal(IdentityReasons.AssertionInvalid, (await ValidateAsync(_harness.Issuer.Mint(IdNumber, "Nguyễn Văn An", BirthDate, level))).Failure?.Reason);

    [Theory]
    [InlineData("00120300456")]
    [InlineData("00120300456x")]
    [InlineData("003203004567")] // 003 is no province code
    public async Task Assertion_WithASubjectThatIsNotAnIdNumber_IsInvalid(string subject)
        => Assert.Equal(IdentityReasons.AssertionInvalid, (await ValidateAsync(_harness.Issuer.Mint(subject, "Nguyễn Văn An", BirthDate, 2))).Failure?.Reason);

    [Theory]
    [InlineData(1990, 5, 17)] // digit 4 is 2: born in the 2000s
    [InlineData(2004, 5, 17)] // digits 5–6 are 03
    public async Task Assertion_WhoseSubjectContradictsItsBirthDate_IsInvalid(int year, int month, int day)
        => Assert.Equal(IdentityReasons.AssertionInvalid,
            (await ValidateAsync(_harness.Issuer.Mint(IdNumber, "Nguyễn Văn An", new DateOnly(year, month, day), 2))).Failure?.Reason);

    [Fact]
    public async Task Assertion_LevelOne_WhereLevelTwoIsRequired_IsInsufficient()
    {
        await using var strict = IdentityHarness.Start(settings: new Dictionary<string, string?> { ["Dvc:Identity:Assertions:MinimumLevel"] = "2" });
        await using var scope = strict.Services.CreateAsyncScope();
        var validator = scope.ServiceProvider.GetRequiredService<IIdentityAssertionValidator>();

        var result = await validator.ValidateAsync(strict.Issuer.Mint(IdNumber, "Nguyễn Văn An", BirthDate, 1), CancellationToken.None);

        Assert.Equal(IdentityReasons.AssertionLevelInsufficient, result.Failure?.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("e30.e30.")]
    public async Task Assertion_Malformed_IsInvalid(string assertion)
        => Assert.Equal(IdentityReasons.AssertionInvalid, (await ValidateAsync(assertion)).Failure?.Reason);

    [Fact]
    public async Task DevelopmentIssuer_Disabled_IsNotRegistered()
    {
        await using var harness = IdentityHarness.Start(settings: new Dictionary<string, string?> { ["Dvc:Identity:DevelopmentIssuer:Enabled"] = "false" });

        Assert.Null(harness.Services.GetService<DevelopmentIdentityIssuer>());
    }

    private Task<IdentityResult<IdentityAssertion>> ValidateAsync(string assertion)
        => _harness.RunAsync<IIdentityAssertionValidator, IdentityResult<IdentityAssertion>>(v => v.ValidateAsync(assertion, CancellationToken.None));

    private string MintConfigured(RSA key, string kid)
    {
        var now = _harness.Time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = ConfiguredIssuer,
            Audience = "grpcdvc-portal",
            IssuedAt = now,
            Expires = now.AddMinutes(1),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = IdNumber,
                ["jti"] = Guid.NewGuid().ToString("N"),
                ["name"] = "Nguyễn Văn An",
                ["birthdate"] = "2003-05-17",
                ["level"] = "1",
            },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
        });
    }
}
