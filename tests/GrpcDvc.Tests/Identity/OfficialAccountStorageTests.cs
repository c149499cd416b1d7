using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Population;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// Officials' accounts as SQLite gives them back, and the two readers of their names: the access
/// log's name source and the greeting's display name.
/// </summary>
public sealed class OfficialAccountStorageTests : OnIdentityHarness
{
    [Fact]
    public async Task OfficialAccount_ReadBack_HasItsInstantsInUtc()
    {
        // SQLite stores instants as text and returns them of unspecified kind; the mapping marks them
        // UTC again, or comparisons with the clock and protobuf Timestamps would go wrong.
        var createdAt = new DateTime(2026, 11, 2, 8, 30, 0, DateTimeKind.Utc);
        var official = await AddOfficialAsync("thoi.gian", "Cán bộ Thời Gian", a =>
        {
            a.CreatedAt = createdAt;
            a.LastSignInAt = createdAt.AddDays(1);
            a.LockedUntil = createdAt.AddDays(2);
        });

        var stored = await Harness.QueryAsync(db => db.Set<OfficialAccountRecord>().AsNoTracking().SingleAsync(a => a.Id == official));

        Assert.Equal((createdAt, DateTimeKind.Utc), (stored.CreatedAt, stored.CreatedAt.Kind));
        Assert.Equal((createdAt.AddDays(1), DateTimeKind.Utc), (stored.LastSignInAt, stored.LastSignInAt?.Kind));
        Assert.Equal((createdAt.AddDays(2), DateTimeKind.Utc), (stored.LockedUntil, stored.LockedUntil?.Kind));
    }

    [Fact]
    public async Task NameSource_NamesTheOfficialAsked_AmongOthers()
    {
        await AddOfficialAsync("nguoi.mot", "Cán bộ Một");
        var second = await AddOfficialAsync("nguoi.hai", "Cán bộ Hai");
        await AddOfficialAsync("nguoi.ba", "Cán bộ Ba");

        var name = await Harness.RunAsync<IOfficialNameSource, string?>(s => s.FullNameAsync(second, CancellationToken.None));

        Assert.Equal("Cán bộ Hai", name);
    }

    [Fact]
    public async Task NameSource_ForAnUnknownAccount_IsNull()
    {
        await AddOfficialAsync("nguoi.mot", "Cán bộ Một");

        Assert.Null(await Harness.RunAsync<IOfficialNameSource, string?>(s => s.FullNameAsync(Guid.NewGuid(), CancellationToken.None)));
    }

    [Fact]
    public async Task DisplayName_OfACallerWhoseAccountIsGone_IsEmpty()
    {
        // A token can outlive its account's row; the greeting is then blank, not an error or a placeholder.
        var caller = new CallerIdentity(Guid.NewGuid(), AccountKind.Official, [Role.IntakeOfficer], "P34-01", null, Guid.NewGuid(), 0);

        Assert.Equal("", await Harness.RunAsync<AccountNames, string>(n => n.DisplayNameAsync(caller, CancellationToken.None)));
    }

    [Fact]
    public async Task DisplayName_OfAnOfficial_IsTheirFullName()
    {
        var official = await AddOfficialAsync("chao.ban", "Cán bộ Chào Bạn");
        var caller = new CallerIdentity(official, AccountKind.Official, [Role.IntakeOfficer], "P34-01", null, Guid.NewGuid(), 0);

        Assert.Equal("Cán bộ Chào Bạn", await Harness.RunAsync<AccountNames, string>(n => n.DisplayNameAsync(caller, CancellationToken.None)));
    }

    private async Task<Guid> AddOfficialAsync(string username, string fullName, Action<OfficialAccountRecord>? change = null)
    {
        var official = new OfficialAccountRecord
        {
            Id = Guid.NewGuid(),
            Username = username,
            FullName = fullName,
            AgencyUnitCode = "P34-01",
            PasswordHash = "v1$pbkdf2-sha256$unused",
            TotpSecretSealed = "unused",
            CreatedAt = Harness.Time.GetUtcNow().UtcDateTime,
        };
        change?.Invoke(official);
        await Harness.QueryAsync(db =>
        {
            db.Add(official);
            return db.SaveChangesAsync();
        });
        return official.Id;
    }
}
