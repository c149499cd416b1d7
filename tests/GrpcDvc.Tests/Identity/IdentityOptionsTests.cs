using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.SignIn;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// The "Dvc:Identity" section's own rules: the defaults a deployment gets when it sets nothing (every
/// one a production value), the limit each (action, scope) is counted under, and
/// the start-up refusal of settings that could not work (a rule without permits, a signing key that
/// would expire before it is published), each naming the setting to fix.
/// </summary>
public sealed class IdentityOptionsTests
{
    [Fact]
    public void Defaults_AreTheProductionValues()
    {
        var options = new IdentityOptions();

        Assert.Equal(("grpcdvc", "grpcdvc-api", "GrpcDvc"), (options.Issuer, options.Audience, options.TotpIssuerLabel));
        Assert.Equal((TimeSpan.FromMinutes(10), TimeSpan.FromDays(14), TimeSpan.FromDays(30), TimeSpan.FromSeconds(30)),
            (options.AccessTokenLifetime, options.RefreshTokenLifetime, options.SessionMaxLifetime, options.ClockSkew));
        Assert.Equal(("", ""), (options.KeyRingCertificatePath, options.KeyRingCertificatePassword));
        Assert.Equal(TimeSpan.FromSeconds(10), options.RevocationRefreshInterval);
        Assert.Equal(("grpcdvc-portal", TimeSpan.FromMinutes(5), 1), (options.Assertions.PortalClientId, options.Assertions.MaxLifetime, options.Assertions.MinimumLevel));
        Assert.Empty(options.Assertions.TrustedIssuers);
        Assert.Equal((false, "https://vneid.dev.grpcdvc.local"), (options.DevelopmentIssuer.Enabled, options.DevelopmentIssuer.Name));
        Assert.Equal((false, true), (options.Development.Enabled, options.Development.DemoOfficials));
        Assert.Equal(("", "Quản trị hệ thống", "BCA", "", ""), (options.Bootstrap.Username, options.Bootstrap.FullName,
            options.Bootstrap.AgencyUnit, options.Bootstrap.Password, options.Bootstrap.TotpSecret));
        Assert.Equal((0.0, TimeSpan.Zero), (options.Sms.FailureRate, options.Sms.Latency));
        Assert.Empty(options.Sms.FailingNumbers);
        Assert.Equal((TimeSpan.FromMinutes(5), 5, TimeSpan.FromSeconds(60), 5),
            (options.Otp.Lifetime, options.Otp.MaxAttempts, options.Otp.ResendInterval, options.Otp.MaxSendsPerPhonePerHour));
        Assert.Equal((5, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)),
            (options.Lockout.Threshold, options.Lockout.BaseDuration, options.Lockout.MaxDuration));
        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromDays(30), TimeSpan.FromHours(1)),
            (options.SigningKeys.RefreshInterval, options.SigningKeys.PublishDelay, options.SigningKeys.Lifetime, options.SigningKeys.RotationCheckInterval));
        Assert.Equal(8, options.Passwords.MinimumLength);
    }

    [Theory]
    [InlineData(LimitedAction.SignIn, RateLimitScope.Address, 30, 5)]
    [InlineData(LimitedAction.SignIn, RateLimitScope.Account, 10, 5)]
    [InlineData(LimitedAction.OtpSend, RateLimitScope.Address, 10, 60)]
    [InlineData(LimitedAction.OtpSend, RateLimitScope.Account, 10, 60)]
    [InlineData(LimitedAction.OtpVerify, RateLimitScope.Address, 30, 10)]
    [InlineData(LimitedAction.OtpVerify, RateLimitScope.Account, 30, 10)]
    [InlineData(LimitedAction.Lookup, RateLimitScope.Address, 120, 1)]
    [InlineData(LimitedAction.Lookup, RateLimitScope.Account, 60, 1)]
    public void RuleFor_EachActionAndScope_IsItsOwnRule_OtpSendsAndChecksOneForBoth(LimitedAction action, RateLimitScope scope, int permits, int minutes)
    {
        var rule = new RateLimitOptions().RuleFor(action, scope);

        Assert.Equal((permits, TimeSpan.FromMinutes(minutes)), (rule.Permits, rule.Window));
    }

    [Fact]
    public void RuleFor_AnActionItDoesNotKnow_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimitOptions().RuleFor((LimitedAction)99, RateLimitScope.Address));

    [Fact]
    public void RateLimits_Defaults_AreValid_WithAPurgeEveryTenMinutes()
    {
        var options = new RateLimitOptions();

        options.Validate();

        Assert.Equal(TimeSpan.FromMinutes(10), options.PurgeInterval);
    }

    public static TheoryData<string> RuleNames => new()
    {
        nameof(RateLimitOptions.SignInPerAddress), nameof(RateLimitOptions.SignInPerAccount),
        nameof(RateLimitOptions.OtpSendPerAddress), nameof(RateLimitOptions.OtpVerifyPerAddress),
        nameof(RateLimitOptions.LookupPerAddress), nameof(RateLimitOptions.LookupPerAccount),
    };

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void RateLimits_ARuleWithNoPermitOrNoWindow_IsRefusedNamingIt_OnePermitInATickIsEnough(string name)
    {
        var property = typeof(RateLimitOptions).GetProperty(name)!;
        var options = new RateLimitOptions();

        property.SetValue(options, new RateLimitRule { Permits = 0, Window = TimeSpan.FromMinutes(1) });
        var noPermit = Assert.Throws<InvalidOperationException>(options.Validate);
        property.SetValue(options, new RateLimitRule { Permits = 5, Window = TimeSpan.Zero });
        var noWindow = Assert.Throws<InvalidOperationException>(options.Validate);
        property.SetValue(options, new RateLimitRule { Permits = 1, Window = TimeSpan.FromTicks(1) });
        options.Validate();

        Assert.Contains($"Dvc:Identity:RateLimits:{name} ", noPermit.Message, StringComparison.Ordinal);
        Assert.Contains("(it has 0 per 00:01:00)", noPermit.Message, StringComparison.Ordinal);
        Assert.Contains($"Dvc:Identity:RateLimits:{name} ", noWindow.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RateLimits_APurgeIntervalNotPositive_IsRefused()
    {
        var options = new RateLimitOptions { PurgeInterval = TimeSpan.Zero };

        var refused = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains("Dvc:Identity:RateLimits:PurgeInterval must be positive", refused.Message, StringComparison.Ordinal);
        new RateLimitOptions { PurgeInterval = TimeSpan.FromTicks(1) }.Validate();
    }

    [Fact]
    public void SigningKeys_AKeyMustOutliveItsPublication_AndTheCheckNeedsAPositiveInterval()
    {
        var publish = TimeSpan.FromMinutes(2);

        var tooShort = Assert.Throws<InvalidOperationException>(new SigningKeyOptions { PublishDelay = publish, Lifetime = publish }.Validate);
        var noCheck = Assert.Throws<InvalidOperationException>(new SigningKeyOptions { RotationCheckInterval = TimeSpan.Zero }.Validate);
        new SigningKeyOptions { PublishDelay = publish, Lifetime = publish + TimeSpan.FromTicks(1), RotationCheckInterval = TimeSpan.FromTicks(1) }.Validate();
        new SigningKeyOptions().Validate();

        Assert.Contains("Dvc:Identity:SigningKeys needs a Lifetime longer than PublishDelay (00:02:00 vs 00:02:00)", tooShort.Message, StringComparison.Ordinal);
        Assert.Contains("positive RotationCheckInterval (00:00:00)", noCheck.Message, StringComparison.Ordinal);
    }
}
