using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Officials;
using GrpcDvc.Server.Identity.Secrets;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// A creation whose save fails: a rival that committed between the checks and the save decides the
/// answer (the same request: its official; another request for the username: taken), and any other
/// failure is the caller's error, never an official reported created that was not stored.
/// </summary>
public sealed partial class OfficialRuleTests
{
    [Fact]
    public async Task Create_RacingItsOwnRetry_AnswersWithTheOfficialTheRetryStored()
    {
        var admin = await AdminAsync();
        var request = Official("dua.nhau") with { ClientRequestId = "tao-dua-nhau" };
        IdentityResult<OfficialEnrolled>? rival = null;

        var raced = await CreateWithRivalAsync(admin, request, async () =>
            rival = await AdministrationAsync(a => a.CreateAsync(admin, request, Client, CancellationToken.None)));

        Assert.True(rival?.Succeeded);
        Assert.True(raced.Succeeded, raced.Failure?.Reason);
        Assert.Equal(rival!.Value.Value, raced.Value);
        Assert.Equal(1, await Harness.QueryAsync(db => db.Set<SignInAuditRecord>().CountAsync(a => a.Login == "dua.nhau")));
    }

    [Fact]
    public async Task Create_RacingAnotherRequestForTheUsername_IsTaken()
    {
        var admin = await AdminAsync();

        var raced = await CreateWithRivalAsync(admin, Official("tranh.ten") with { ClientRequestId = "tao-1" }, () =>
            AdministrationAsync(a => a.CreateAsync(admin, Official("tranh.ten", Role.Auditor) with { ClientRequestId = "tao-2" }, Client, CancellationToken.None)));

        Assert.Equal((FailureKind.AlreadyExists, IdentityReasons.UsernameTaken), (raced.Failure!.Kind, raced.Failure.Reason));
    }

    [Fact]
    public async Task Create_WhoseSaveFailsForAnotherReason_Throws_AndReportsNoOfficial()
    {
        var admin = await AdminAsync();
        // The database refuses this one row, as it would on a full disk or a broken constraint;
        // other officials (the administrator) exist, so "someone has this username" is false.
        await Harness.QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER refuse_official BEFORE INSERT ON official_accounts WHEN NEW.username = 'hong.o.dia' BEGIN SELECT RAISE(ABORT, 'refused'); END"));

        await Assert.ThrowsAsync<DbUpdateException>(() => AdministrationAsync(a => a.CreateAsync(admin, Official("hong.o.dia"), Client, CancellationToken.None)));

        Assert.False(await ExistsAsync("hong.o.dia"));
    }

    /// <summary>
    /// Creates through an OfficialAdministration whose clock lets <paramref name="rival"/> run to its
    /// commit the first time it is read: after the request-id and username checks, before the save.
    /// </summary>
    private async Task<IdentityResult<OfficialEnrolled>> CreateWithRivalAsync(CallerIdentity admin, NewOfficial official, Func<Task> rival)
    {
        await using var scope = Harness.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var administration = new OfficialAdministration(
            services.GetRequiredService<DvcDbContext>(), services.GetRequiredService<PasswordPolicy>(), services.GetRequiredService<PasswordHasher>(),
            services.GetRequiredService<IdentitySecrets>(), services.GetRequiredService<IdentityOptions>(), services.GetRequiredService<SignInAudit>(),
            new RivalAtTheClock(Harness.Time, rival));
        return await administration.CreateAsync(admin, official, Client, CancellationToken.None);
    }

    private sealed class RivalAtTheClock(TimeProvider clock, Func<Task> rival) : TimeProvider
    {
        private Func<Task>? _rival = rival;

        public override DateTimeOffset GetUtcNow()
        {
            if (Interlocked.Exchange(ref _rival, null) is { } run)
            {
                // Off the test's synchronization context, so blocking here cannot deadlock the rival.
                Task.Run(run).GetAwaiter().GetResult();
            }

            return clock.GetUtcNow();
        }
    }
}
