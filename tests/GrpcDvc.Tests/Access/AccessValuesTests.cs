using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;

namespace GrpcDvc.Tests.Access;

/// <summary>
/// The small values the gate stands on, pinned: the spelling of each role inside tokens and the
/// database (renaming one would sign everybody out and orphan their role rows), the rate-limit key of a
/// client without an address, and the retry delay a refused lookup tells the client.
/// </summary>
public sealed class AccessValuesTests
{
    public static TheoryData<Role, string> Spellings => new()
    {
        { Role.Citizen, "citizen" },
        { Role.IntakeOfficer, "intake_officer" },
        { Role.ProcessingOfficer, "processing_officer" },
        { Role.ApprovingLeader, "approving_leader" },
        { Role.StationManager, "station_manager" },
        { Role.Auditor, "auditor" },
        { Role.Administrator, "administrator" },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public void RoleNames_EachRoleHasItsStoredSpelling_BothWays(Role role, string spelling)
    {
        Assert.Equal(spelling, RoleNames.Name(role));
        Assert.True(RoleNames.TryParse(spelling, out var parsed));
        Assert.Equal(role, parsed);
    }

    [Fact]
    public void RoleNames_OfficialRoles_AreEveryRoleButCitizen_AndUnknownSpellingsParseToNothing()
    {
        Assert.Equal([Role.IntakeOfficer, Role.ProcessingOfficer, Role.ApprovingLeader, Role.StationManager, Role.Auditor, Role.Administrator], RoleNames.OfficialRoles);
        Assert.False(RoleNames.TryParse("", out _));
        Assert.False(RoleNames.TryParse("Administrator", out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => RoleNames.Name(Role.Unspecified));
    }

    [Theory]
    [InlineData(null, "?")]
    [InlineData("", "?")]
    [InlineData("   ", "?")]
    [InlineData("203.0.113.7", "203.0.113.7")]
    public void ClientContext_WithoutAnAddress_SharesOneRateLimitBucket(string? address, string key)
        => Assert.Equal(key, new ClientContext(address).AddressKey);

    [Theory]
    [InlineData(30, 30)]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    public void RateLimited_TellsTheClientHowLongToWait_AtLeastASecond(int seconds, int expected)
    {
        var refused = AccessErrors.RateLimited("LOOKUP_RATE_LIMITED", TimeSpan.FromSeconds(seconds));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        var status = refused.GetRpcStatus()!;
        var retry = status.Details.Single(d => d.Is(RetryInfo.Descriptor)).Unpack<RetryInfo>();
        Assert.Equal(TimeSpan.FromSeconds(expected), retry.RetryDelay.ToTimeSpan());
        Assert.Equal("LOOKUP_RATE_LIMITED", status.Details.Single(d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>().Reason);
    }
}
