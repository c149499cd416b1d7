namespace GrpcDvc.Tests.Faults;

/// <summary>How the fault tests start the server process: the demo (officials, SMS outbox, population) and limits out of the way.</summary>
public static class FaultServer
{
    private const string Unlimited = "1000000";

    public static readonly IReadOnlyList<string> Args =
    [
        "--Dvc:Identity:Development:Enabled=true",
        "--Dvc:Population:DemoCitizens=2000",
        // The shortest interval the server allows: grpc.health.v1 follows the database within a second.
        "--Dvc:Health:Interval=00:00:01",
        // Every caller of the load comes from 127.0.0.1: the per-address abuse limits would stop the load, not the fault.
        $"--Dvc:Identity:RateLimits:SignInPerAddress:Permits={Unlimited}",
        $"--Dvc:Identity:RateLimits:SignInPerAccount:Permits={Unlimited}",
        $"--Dvc:Identity:RateLimits:OtpSendPerAddress:Permits={Unlimited}",
        $"--Dvc:Identity:RateLimits:OtpVerifyPerAddress:Permits={Unlimited}",
        $"--Dvc:Identity:RateLimits:LookupPerAddress:Permits={Unlimited}",
        $"--Dvc:Identity:RateLimits:LookupPerAccount:Permits={Unlimited}",
    ];

    /// <summary>Registers the person the way a portal does: start, read the code from the outbox, complete.</summary>
    public static async Task<Contracts.Identity.V1.TokenResponse> RegisterAsync(FaultCallers callers, RegistryPerson person)
    {
        var (started, status) = await callers.StartRegistrationAsync(person, Guid.NewGuid().ToString("N"));
        Assert.True(started is not null, $"StartCitizenRegistration for {person.IdNumber}: {status}");
        var (code, _) = await callers.NewestCodeAsync(person.Phone);
        Assert.NotNull(code);
        var (tokens, completed) = await callers.CompleteRegistrationAsync(started.RegistrationId, code, person.Password);
        Assert.True(tokens is not null, $"CompleteCitizenRegistration for {person.IdNumber}: {completed}");
        return tokens;
    }
}
