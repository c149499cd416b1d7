using System.Security.Claims;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;

namespace GrpcDvc.Tests.Access;

/// <summary>
/// The caller of a validated token as ASP.NET Core sees it: standard claims for anything that reads a
/// ClaimsPrincipal, the caller itself for the gate, and the refusal reasons a token can carry.
/// </summary>
public sealed class CallerPrincipalTests
{
    private static readonly CallerIdentity Official = new(
        Guid.Parse("6f1c2d3e-0000-4000-8000-000000000001"), AccountKind.Official, [Role.IntakeOfficer, Role.Auditor], "P34-04", null,
        Guid.Parse("6f1c2d3e-0000-4000-8000-000000000002"), 0);

    private static readonly CallerIdentity Citizen = new(
        Guid.Parse("6f1c2d3e-0000-4000-8000-000000000003"), AccountKind.Citizen, [Role.Citizen], null, "001203004567",
        Guid.Parse("6f1c2d3e-0000-4000-8000-000000000004"), 2);

    [Fact]
    public void Official_IsSeenWithAccountKindSessionAgencyAndRoles_AsClaims()
    {
        var user = new ClaimsPrincipal(new CallerPrincipal(Official));

        Assert.Equal(Official.AccountId.ToString("D"), user.FindFirstValue(ClaimTypes.NameIdentifier));
        Assert.Equal("official", user.FindFirstValue(CallerPrincipal.KindClaim));
        Assert.Equal(Official.SessionId.ToString("D"), user.FindFirstValue(CallerPrincipal.SessionClaim));
        Assert.Equal("P34-04", user.FindFirstValue(CallerPrincipal.AgencyClaim));
        Assert.Null(user.FindFirst(CallerPrincipal.IdNumberClaim));
        Assert.True(user.IsInRole("intake_officer"));
        Assert.True(user.IsInRole("auditor"));
        Assert.False(user.IsInRole("administrator"));
        Assert.Equal(Official.AccountId.ToString("D"), user.Identity!.Name);
        Assert.True(user.Identity.IsAuthenticated);
    }

    [Fact]
    public void Citizen_IsSeenWithTheirIdNumber_AndNoAgency()
    {
        var user = new ClaimsPrincipal(new CallerPrincipal(Citizen));

        Assert.Equal("citizen", user.FindFirstValue(CallerPrincipal.KindClaim));
        Assert.Equal("001203004567", user.FindFirstValue(CallerPrincipal.IdNumberClaim));
        Assert.Null(user.FindFirst(CallerPrincipal.AgencyClaim));
        Assert.True(user.IsInRole("citizen"));
    }

    [Fact]
    public void Read_FindsTheCaller_OnlyInOurOwnIdentity()
    {
        var ours = new ClaimsPrincipal([new ClaimsIdentity([new Claim(ClaimTypes.Name, "x")], "other"), new CallerPrincipal(Official)]);

        Assert.Same(Official, CallerPrincipal.Read(ours));
        Assert.Null(CallerPrincipal.Read(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, "auditor")], "other"))));
        Assert.Null(CallerPrincipal.Read(null));
    }

    [Fact]
    public void RejectedToken_WithoutAReason_IsAnInvalidToken()
    {
        Assert.Equal(AccessReasons.AccessTokenInvalid, new AccessTokenRejectedException().Reason);
        Assert.Equal(AccessReasons.AccessTokenInvalid, new AccessTokenRejectedException("bad").Reason);
        Assert.Equal("bad", new AccessTokenRejectedException("bad").Message);
        var inner = new InvalidOperationException("inner");
        var wrapped = new AccessTokenRejectedException("bad", inner);
        Assert.Equal((AccessReasons.AccessTokenInvalid, inner), (wrapped.Reason, wrapped.InnerException));
        Assert.Equal(AccessReasons.AccessTokenExpired, new AccessTokenRejectedException(AccessReasons.AccessTokenExpired, "old").Reason);
    }

    [Fact]
    public void RoleNames_SpellEveryRoleAsTokensAndRowsDo_AndReadThemBack()
    {
        foreach (var role in RoleNames.OfficialRoles.Append(Role.Citizen))
        {
            Assert.True(RoleNames.TryParse(RoleNames.Name(role), out var back));
            Assert.Equal(role, back);
        }

        Assert.Equal("approving_leader", RoleNames.Name(Role.ApprovingLeader));
        Assert.DoesNotContain(Role.Citizen, RoleNames.OfficialRoles);
        Assert.Equal(6, RoleNames.OfficialRoles.Count);
        Assert.False(RoleNames.TryParse("Auditor", out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => RoleNames.Name(Role.Unspecified));
    }

    [Fact]
    public void Caller_HasAnyRole_OnlyWhenOneOfItsRolesIsAsked()
    {
        Assert.True(Official.HasAnyRole([Role.Administrator, Role.Auditor]));
        Assert.False(Official.HasAnyRole([Role.Administrator, Role.Citizen]));
        Assert.False(Official.HasAnyRole([]));
        Assert.True(Official.HasRole(Role.IntakeOfficer));
        Assert.False(Official.HasRole(Role.StationManager));
    }
}
