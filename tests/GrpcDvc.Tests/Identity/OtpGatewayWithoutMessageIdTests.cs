using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Population;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity;

/// <summary>A gateway may accept a message without giving it an id: the answer then carries an empty id, not a made-up one.</summary>
public sealed class OtpGatewayWithoutMessageIdTests
{
    [Fact]
    public async Task Sent_ThroughAGatewayThatGivesNoMessageId_CarriesAnEmptyId()
    {
        await using var harness = IdentityHarness.Start(configure: services => services.AddSingleton<ISmsGateway, AcceptsWithoutId>());
        harness.Registry.Add("001090004567", "Nguyễn Văn An", new DateOnly(1990, 5, 17), "+84912345678");

        var started = await harness.RunAsync<CitizenRegistration, IdentityResult<OtpSent>>(r => r.StartAsync(
            new RegistrationDetails("001090004567", "Nguyễn Văn An", BirthDate.Full(1990, 5, 17), "0912 345 678"), new ClientContext("203.0.113.14"), CancellationToken.None));

        Assert.True(started.Succeeded, started.Failure?.Reason);
        Assert.Equal("", started.Value.SmsMessageId);
    }

    private sealed class AcceptsWithoutId : ISmsGateway
    {
        public Task<SmsSendResult> SendAsync(string phone, string text, CancellationToken cancellationToken)
            => Task.FromResult(new SmsSendResult(true, null, null));
    }
}
