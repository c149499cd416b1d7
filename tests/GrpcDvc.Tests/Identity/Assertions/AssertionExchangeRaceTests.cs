using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Assertions;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity.Assertions;

/// <summary>
/// A citizen's first two exchanges racing (two tabs, two instances): both find no account, and the
/// unique ID number lets one open it. The other must sign in to that account, not fail and not open a
/// second. The rival's account is staged between this exchange's look and its save.
/// </summary>
public sealed class AssertionExchangeRaceTests : OnIdentityHarness
{
    private const string IdNumber = "001203004567";
    private static readonly DateOnly BirthDate = new(2003, 5, 17);
    private readonly BeforeTheSave<CitizenAccountRecord> _stage = new();

    protected override IdentityHarness Start()
        => IdentityHarness.Start(configure: services => services.ConfigureDbContext<DvcDbContext>(db => db.AddInterceptors(_stage)));

    [Fact]
    public async Task AnotherExchangeOpenedTheAccountFirst_ThisOneSignsInToIt()
    {
        var rival = Guid.NewGuid();
        _stage.Next = () => Harness.QueryAsync(db =>
        {
            db.Add(new CitizenAccountRecord
            {
                Id = rival, IdNumber = IdNumber, FullName = "Nguyễn Văn An", BirthDate = BirthDate, CreatedAt = Harness.Time.GetUtcNow().UtcDateTime,
            });
            return db.SaveChangesAsync();
        });

        var signedIn = await Harness.RunAsync<AssertionExchange, IdentityResult<SignedIn>>(exchange => exchange.ExchangeAsync(
            Harness.Issuer.Mint(IdNumber, "Nguyễn Văn An", BirthDate, level: 2), new ClientContext("203.0.113.7"), CancellationToken.None));

        Assert.Null(_stage.Next);
        Assert.True(signedIn.Succeeded, signedIn.Failure?.Reason);
        Assert.Equal(rival, signedIn.Value.Caller.AccountId);
        Assert.Equal([rival], await Harness.QueryAsync(db => db.Set<CitizenAccountRecord>().Select(a => a.Id).ToListAsync()));
    }
}
