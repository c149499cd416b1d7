using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Identity.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// A citizen's password sign-in as the use case runs it (no gRPC): the lockout streak, the audit row of
/// every outcome, the rate limit's refusal, and the password hash kept up to the configured cost.
/// </summary>
public sealed class SignInRuleTests : IAsyncLifetime
{
    private const string Password = "mat-khau-rat-dai";
    private static readonly ClientContext Client = new("203.0.113.20", "Cổng DVC/1.0");

    private IdentityHarness _identity = null!;
    private CitizenAccountRecord _account = null!;

    public async Task InitializeAsync()
    {
        // Passwords hashed at more iterations than the minimum, so a hash at the minimum is one to upgrade.
        _identity = IdentityHarness.Start(settings: new Dictionary<string, string?>
        {
            ["Dvc:Identity:Passwords:Iterations"] = "220000",
            ["Dvc:Identity:RateLimits:SignInPerAccount:Permits"] = "20",
        });
        _account = await _identity.AddCitizenAccountAsync();
    }

    public async Task DisposeAsync() => await _identity.DisposeAsync();

    [Fact]
    public async Task SignIn_HashedAtFewerIterationsThanConfigured_SignsIn_AndStoresTheHashAtTheConfiguredCount()
    {
        var older = new PasswordHasher(new IdentityOptions { Passwords = new PasswordOptions { Iterations = PasswordHasher.MinimumIterations } }).Hash(Password);
        await SetPasswordHashAsync(older);

        var signedIn = await SignInAsync(_account.IdNumber, Password);

        Assert.True(signedIn.Succeeded);
        var stored = await StoredHashAsync();
        Assert.StartsWith("v1$pbkdf2-sha256$220000$", stored, StringComparison.Ordinal);
        Assert.True((await SignInAsync(_account.IdNumber, Password)).Succeeded);
    }

    [Fact]
    public async Task SignIn_HashedAtTheConfiguredCount_KeepsTheStoredHash()
    {
        var current = _identity.Services.GetRequiredService<PasswordHasher>().Hash(Password);
        await SetPasswordHashAsync(current);

        Assert.True((await SignInAsync(_account.IdNumber, Password)).Succeeded);

        Assert.Equal(current, await StoredHashAsync());
    }

    [Fact]
    public async Task SignIn_AfterASuccess_TheFailureStreakStartsAgain()
    {
        await SetPasswordHashAsync(_identity.Services.GetRequiredService<PasswordHasher>().Hash(Password));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(IdentityReasons.InvalidCredentials, (await SignInAsync(_account.IdNumber, "sai-mat-khau")).Failure?.Reason);
        }

        Assert.True((await SignInAsync(_account.IdNumber, Password)).Succeeded);

        // Four more wrong passwords: without the success clearing the streak, the first of them would be the fifth.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(IdentityReasons.InvalidCredentials, (await SignInAsync(_account.IdNumber, "sai-mat-khau")).Failure?.Reason);
        }

        Assert.Equal(IdentityReasons.AccountLocked, (await SignInAsync(_account.IdNumber, "sai-mat-khau")).Failure?.Reason);
    }

    [Fact]
    public async Task SignIn_AccountWithoutAPassword_IsInvalidCredentials_AuditedAsNoPassword_ForACitizen()
    {
        var refused = await SignInAsync(_account.IdNumber, Password);

        Assert.Equal(IdentityReasons.InvalidCredentials, refused.Failure?.Reason);
        var audit = Assert.Single(await AuditAsync());
        Assert.Equal((false, IdentityReasons.NoPassword, "citizen", _account.Id, SignInMethods.Password),
            (audit.Succeeded, audit.Reason, audit.AccountKind, audit.AccountId, audit.Method));
        Assert.Equal((Client.Address, Client.UserAgent), (audit.Address, audit.UserAgent));
    }

    [Fact]
    public async Task SignIn_NoIdNumberAtAll_IsAuditedWithAnEmptyLogin()
    {
        var refused = await SignInAsync(null, null);

        Assert.Equal(IdentityReasons.IdNumberInvalid, refused.Failure?.Reason);
        Assert.Equal("", Assert.Single(await AuditAsync()).Login);
    }

    [Fact]
    public async Task SignIn_LongLoginAndUserAgent_AreAuditedCutToTheirColumns()
    {
        var login = new string('9', 100);
        var agent = new string('a', 300);

        await SignInAsync(login, Password, new ClientContext("203.0.113.21", agent));

        var audit = Assert.Single(await AuditAsync());
        Assert.Equal((new string('9', 64), new string('a', 256)), (audit.Login, audit.UserAgent));
    }

    [Fact]
    public async Task SignIn_OverThePerAccountLimit_IsRefused_AndTheRefusalIsAudited()
    {
        await using var strict = IdentityHarness.Start(settings: new Dictionary<string, string?>
        {
            ["Dvc:Identity:RateLimits:SignInPerAccount:Permits"] = "1",
        });

        var first = await strict.RunAsync<CitizenSignIn, IdentityResult<SignedIn>>(s => s.SignInAsync("001203004567", Password, Client, CancellationToken.None));
        var limited = await strict.RunAsync<CitizenSignIn, IdentityResult<SignedIn>>(s => s.SignInAsync("001203004567", Password, Client, CancellationToken.None));

        Assert.Equal(IdentityReasons.InvalidCredentials, first.Failure?.Reason);
        Assert.Equal(IdentityReasons.RateLimited, limited.Failure?.Reason);
        var audit = await strict.QueryAsync(db => db.Set<SignInAuditRecord>().AsNoTracking().OrderBy(a => a.Id).Select(a => a.Reason).ToListAsync());
        Assert.Equal([IdentityReasons.UnknownAccount, IdentityReasons.RateLimited], audit);
    }

    private Task<IdentityResult<SignedIn>> SignInAsync(string? idNumber, string? password, ClientContext? client = null)
        => _identity.RunAsync<CitizenSignIn, IdentityResult<SignedIn>>(s => s.SignInAsync(idNumber, password, client ?? Client, CancellationToken.None));

    private Task<int> SetPasswordHashAsync(string hash)
        => _identity.QueryAsync(db => db.Set<CitizenAccountRecord>().Where(a => a.Id == _account.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.PasswordHash, hash)));

    private Task<string?> StoredHashAsync()
        => _identity.QueryAsync(db => db.Set<CitizenAccountRecord>().AsNoTracking().Where(a => a.Id == _account.Id).Select(a => a.PasswordHash).SingleAsync());

    private Task<List<SignInAuditRecord>> AuditAsync()
        => _identity.QueryAsync(db => db.Set<SignInAuditRecord>().AsNoTracking().OrderBy(a => a.Id).ToListAsync());
}
