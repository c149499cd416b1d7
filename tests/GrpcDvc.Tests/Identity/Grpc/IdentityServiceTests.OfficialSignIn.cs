using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace GrpcDvc.Tests.Identity.Grpc;

public abstract partial class IdentityServiceTests
{
    [Fact]
    public async Task OfficialSignIn_EachFactorThatFails_IsToldAlikeButAuditedApart_AsAnOfficial()
    {
        var secret = Base32Encoding.ToBytes(AdminTotpSecret);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => SignInOfficialAsync("khong.co.ai", AdminPassword, secret));
        var wrongPassword = await Assert.ThrowsAsync<RpcException>(() => SignInOfficialAsync("admin", "sai-mat-khau", secret));
        var wrongCode = await Assert.ThrowsAsync<RpcException>(() => Identity.SignInOfficialAsync(new SignInOfficialRequest
        {
            Username = "admin", Password = AdminPassword, TotpCode = WrongCode(secret),
        }).ResponseAsync);

        Assert.All(new[] { unknown, wrongPassword, wrongCode }, e => Assert.Equal(IdentityReasons.InvalidCredentials, e.GetErrorInfo()?.Reason));
        var audit = await QueryAsync(db => db.Set<SignInAuditRecord>().AsNoTracking()
            .Where(a => a.Method == SignInMethods.PasswordAndTotp).OrderBy(a => a.Id).Select(a => new { a.Reason, a.AccountKind }).ToListAsync());
        Assert.Equal(
            [
                new { Reason = (string?)IdentityReasons.UnknownAccount, AccountKind = (string?)"official" },
                new { Reason = (string?)IdentityReasons.PasswordWrong, AccountKind = (string?)"official" },
                new { Reason = (string?)IdentityReasons.TotpInvalid, AccountKind = (string?)"official" },
            ],
            audit);
        // The first start's bootstrap is audited as a change to an official account too.
        var created = await QueryAsync(db => db.Set<SignInAuditRecord>().AsNoTracking().SingleAsync(a => a.Method == SignInMethods.OfficialCreated && a.Login == "admin"));
        Assert.Equal(("official", (Guid?)null), (created.AccountKind, created.ActorAccountId));
    }

    [Fact]
    public async Task OfficialSignIn_FiveWrongPasswords_LockTheOfficial_EvenForTheRightPasswordAndCode()
    {
        var secret = Base32Encoding.ToBytes(AdminTotpSecret);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await Assert.ThrowsAsync<RpcException>(() => SignInOfficialAsync("admin", "sai-mat-khau", secret));
        }

        var locked = await Assert.ThrowsAsync<RpcException>(() => SignInOfficialAsync("admin", AdminPassword, secret));

        Assert.Equal((StatusCode.FailedPrecondition, IdentityReasons.AccountLocked), (locked.StatusCode, locked.GetErrorInfo()?.Reason));
        Assert.Equal(IdentityReasons.AccountLocked, await QueryAsync(db => db.Set<SignInAuditRecord>().AsNoTracking()
            .Where(a => a.Method == SignInMethods.PasswordAndTotp).OrderByDescending(a => a.Id).Select(a => a.Reason).FirstAsync()));
    }

    [Fact]
    public async Task OfficialSignIn_PasswordHashedAtFewerIterations_IsStoredAgainAtTheConfiguredCount()
    {
        await using var server = await StartServerAsync("--Dvc:Identity:Passwords:Iterations=220000");
        var older = new PasswordHasher(new IdentityOptions { Passwords = new PasswordOptions { Iterations = PasswordHasher.MinimumIterations } }).Hash(AdminPassword);
        await WithDbAsync(server, db => db.Set<OfficialAccountRecord>().Where(a => a.Username == "admin")
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.PasswordHash, older)));

        await new IdentityService.IdentityServiceClient(server.Channel).SignInOfficialAsync(new SignInOfficialRequest
        {
            Username = "admin", Password = AdminPassword, TotpCode = new Totp(Base32Encoding.ToBytes(AdminTotpSecret)).ComputeTotp(DateTime.UtcNow),
        });

        var stored = await WithDbAsync(server, db => db.Set<OfficialAccountRecord>().AsNoTracking().Where(a => a.Username == "admin").Select(a => a.PasswordHash).SingleAsync());
        Assert.StartsWith("v1$pbkdf2-sha256$220000$", stored, StringComparison.Ordinal);
    }

    private static async Task<T> WithDbAsync<T>(InProcessServer server, Func<DvcDbContext, Task<T>> query)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<DvcDbContext>());
    }
}
