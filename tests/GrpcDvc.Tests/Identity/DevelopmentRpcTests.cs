using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Assertions;
using GrpcDvc.Tests.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// DevelopmentService's rpcs called on the service object (the demo's SMS inbox and VNeID-style issuer):
/// what each checks before it answers, and what the answer holds. The gRPC tests use the same rpcs to
/// drive registration; here the rpc layer itself is the subject, so mutation runs credit it.
/// </summary>
public sealed class DevelopmentRpcTests : OnRegistrableCitizen
{
    [Fact]
    public async Task ListSmsMessages_ReadsThePhoneAsTyped_NewestFirst_WithCanonicalIds_AndAnErasedTextAsEmpty()
    {
        await Harness.Sms.SendAsync(Phone, "Ma xac thuc 111111", CancellationToken.None);
        await Harness.Sms.SendAsync(Phone, "Ma xac thuc 222222", CancellationToken.None);
        await Harness.Sms.SendAsync("+84987654321", "Ma xac thuc 333333", CancellationToken.None);
        var first = await Harness.QueryAsync(db => db.Set<Server.Identity.Registration.SmsOutboxRecord>().OrderBy(m => m.Id).FirstAsync());
        await Harness.QueryAsync(db => db.Set<Server.Identity.Registration.SmsOutboxRecord>().Where(m => m.Id == first.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.TextSealed, (string?)null)));

        var inbox = await Service().ListSmsMessages(new ListSmsMessagesRequest { Phone = "0912 345 678" }, Context());

        Assert.Equal(["Ma xac thuc 222222", ""], inbox.Messages.Select(m => m.Text));
        Assert.All(inbox.Messages, m => Assert.Equal((Phone, Guid.Parse(m.Id).ToString("D")), (m.Phone, m.Id)));
        Assert.Equal(first.MessageId.ToString("D"), inbox.Messages[1].Id);
        Assert.Equal(DateTime.SpecifyKind(first.CreatedAt, DateTimeKind.Utc), inbox.Messages[1].SentAt.ToDateTime());
    }

    [Fact]
    public async Task ListSmsMessages_ShowsTheNewestFifty_AndRefusesANumberThatIsNoMobileOnPhone()
    {
        for (var i = 0; i < 51; i++)
        {
            await Harness.Sms.SendAsync(Phone, $"Tin {i}", CancellationToken.None);
        }

        var inbox = await Service().ListSmsMessages(new ListSmsMessagesRequest { Phone = Phone }, Context());
        var refused = await Assert.ThrowsAsync<RpcException>(() => Service().ListSmsMessages(new ListSmsMessagesRequest { Phone = "12345" }, Context()));

        Assert.Equal(50, inbox.Messages.Count);
        Assert.Equal(("Tin 50", "Tin 1"), (inbox.Messages[0].Text, inbox.Messages[^1].Text));
        AssertInvalid(refused, "phone", IdentityReasons.PhoneInvalid);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task IssueDevelopmentAssertion_ForAConsistentCitizen_SignsTheirClaims_NameTrimmed(int level)
    {
        var issued = await Service().IssueDevelopmentAssertion(
            Mutate(Request(), r => { r.FullName = "  Nguyễn Văn An "; r.AssuranceLevel = level; }), Context());

        var token = new JsonWebToken(issued.Assertion);
        Assert.Equal((IdNumber, "Nguyễn Văn An", "1990-05-17", level.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (token.Subject, token.GetClaim(AssertionClaims.Name).Value, token.GetClaim(AssertionClaims.BirthDate).Value, token.GetClaim(AssertionClaims.Level).Value));
    }

    [Theory]
    [InlineData("00109000456", null, null, null, "id_number")] // eleven digits
    [InlineData(null, " ", null, null, "full_name")]
    [InlineData(null, null, "17/05/1990", null, "birth_date")]
    [InlineData(null, null, "1990-05", null, "birth_date")] // VNeID vouches for full dates only
    [InlineData(null, null, "2005-05-17", null, "id_number")] // the number's century and year say 1990
    [InlineData(null, null, null, 0, "assurance_level")]
    [InlineData(null, null, null, 3, "assurance_level")]
    public async Task IssueDevelopmentAssertion_RefusesEachBadField_ByItsName(string? idNumber, string? fullName, string? birthDate, int? level, string field)
    {
        var request = Mutate(Request(), r =>
        {
            r.IdNumber = idNumber ?? r.IdNumber;
            r.FullName = fullName ?? r.FullName;
            r.BirthDate = birthDate ?? r.BirthDate;
            r.AssuranceLevel = level ?? r.AssuranceLevel;
        });

        var refused = await Assert.ThrowsAsync<RpcException>(() => Service().IssueDevelopmentAssertion(request, Context()));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(field, Assert.Single(refused.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    private DevelopmentGrpcService Service() => new(Harness.Sms, Harness.Issuer);

    private static TestCallContext Context() => new("/dvc.identity.v1.DevelopmentService/Call", endpoint: null);

    private static IssueDevelopmentAssertionRequest Request()
        => new() { IdNumber = IdNumber, FullName = "Nguyễn Văn An", BirthDate = "1990-05-17", AssuranceLevel = 2 };

    private static IssueDevelopmentAssertionRequest Mutate(IssueDevelopmentAssertionRequest request, Action<IssueDevelopmentAssertionRequest> change)
    {
        change(request);
        return request;
    }

    private static void AssertInvalid(RpcException e, string field, string reason)
    {
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        var violation = Assert.Single(e.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal((field, reason), (violation.Field, violation.Reason));
    }
}
