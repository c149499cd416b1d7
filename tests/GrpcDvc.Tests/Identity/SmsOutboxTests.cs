using GrpcDvc.Server.Identity.Registration;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Tests.Identity;

/// <summary>The SMS outbox as a gateway: what it accepts, what it refuses, and what an inbox shows.</summary>
public sealed class SmsOutboxTests
{
    private const string Phone = "+84912345678";
    private const string OtherPhone = "+84987654321";

    [Fact]
    public async Task Outbox_WithAFailureRateOfOne_RefusesEverySend_AndKeepsNoText()
    {
        // A rate of 1 is how tests and demos make the gateway fail on every number.
        await using var harness = IdentityHarness.Start(settings: new Dictionary<string, string?> { ["Dvc:Identity:Sms:FailureRate"] = "1" });

        var result = await harness.Sms.SendAsync(Phone, "Ma 123456", CancellationToken.None);

        Assert.False(result.Accepted);
        var row = await harness.QueryAsync(db => db.Set<SmsOutboxRecord>().AsNoTracking().SingleAsync());
        Assert.Equal((SmsOutbox.Refused, (string?)null), (row.Status, row.TextSealed));
        Assert.Empty(await harness.Sms.InboxAsync(Phone));
    }

    [Fact]
    public async Task Inbox_ShowsThatPhonesMessagesOnly_NewestFirst_EachUnderTheIdItWasSentWith()
    {
        await using var harness = IdentityHarness.Start();
        var first = await harness.Sms.SendAsync(Phone, "thu nhat", CancellationToken.None);
        await harness.Sms.SendAsync(OtherPhone, "cho so khac", CancellationToken.None);
        var second = await harness.Sms.SendAsync(Phone, "thu hai", CancellationToken.None);

        var inbox = await harness.Sms.InboxAsync(Phone);

        Assert.Equal(["thu hai", "thu nhat"], inbox.Select(m => m.Text));
        Assert.Equal([second.MessageId, first.MessageId], inbox.Select(m => m.MessageId.ToString("D")));
        Assert.NotEqual(first.MessageId, second.MessageId);
    }
}
