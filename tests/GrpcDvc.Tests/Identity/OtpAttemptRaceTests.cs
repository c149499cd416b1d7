using System.Data.Common;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// The attempt claim is a conditional UPDATE because parallel guesses read the same count: here a
/// rival guess claims the last attempt after this one read the challenge and before it claims.
/// </summary>
public sealed class OtpAttemptRaceTests : OnRegistrableCitizen
{
    private static readonly ClientContext Client = new("203.0.113.13");
    private readonly RivalGuessBeforeTheClaim _rival = new();

    protected override IdentityHarness Start()
        => IdentityHarness.Start(configure: services => services.ConfigureDbContext<DvcDbContext>(db => db.AddInterceptors(_rival)));

    [Fact]
    public async Task Confirm_WhoseLastAttemptARivalGuessClaimedFirst_IsExhausted_EvenWithTheRightCode()
    {
        var started = await Harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.StartAsync(
            new RegistrationDetails(IdNumber, "Nguyễn Văn An", BirthDate.Full(1990, 5, 17), "0912 345 678"), Client, CancellationToken.None));
        var code = await Harness.LatestCodeAsync(Phone);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(IdentityReasons.OtpInvalid, (await ConfirmAsync(started.Value.ChallengeId, code == "000000" ? "111111" : "000000")).Failure?.Reason);
        }

        _rival.Armed = true;
        var late = await ConfirmAsync(started.Value.ChallengeId, code);

        Assert.False(_rival.Armed);
        Assert.Equal(IdentityReasons.OtpAttemptsExhausted, late.Failure?.Reason);
        Assert.Equal(0, await Harness.QueryAsync(db => db.Set<CitizenAccountRecord>().CountAsync()));
    }

    private Task<IdentityResult<SignedIn>> ConfirmAsync(Guid challengeId, string code)
        => Harness.RunAsync<CitizenRegistration, IdentityResult<SignedIn>>(r => r.ConfirmAsync(challengeId, code, "Hoa sen 2026", Client, CancellationToken.None));

    /// <summary>Once armed, claims an attempt on every challenge just before the next attempt claim runs.</summary>
    private sealed class RivalGuessBeforeTheClaim : DbCommandInterceptor
    {
        public volatile bool Armed;

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Armed && command.CommandText.Contains("UPDATE \"otp_challenges\"", StringComparison.Ordinal) && command.CommandText.Contains("\"attempts\" + 1", StringComparison.Ordinal))
            {
                Armed = false;
                await using var rival = command.Connection!.CreateCommand();
                rival.Transaction = command.Transaction;
                rival.CommandText = "UPDATE otp_challenges SET attempts = attempts + 1";
                await rival.ExecuteNonQueryAsync(cancellationToken);
            }

            return await base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
