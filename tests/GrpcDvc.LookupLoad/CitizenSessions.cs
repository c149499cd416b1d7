using Grpc.Net.Client;
using GrpcDvc.Contracts.Identity.V1;

namespace GrpcDvc.LookupLoad;

/// <summary>
/// Citizens signed in the way a VNeID-style portal signs them in on a development server: the
/// development issuer's assertion for the citizen, exchanged for the server's tokens. The benchmark's
/// server runs with the development stand-ins on; a production server has no such issuer.
/// </summary>
internal static class CitizenSessions
{
    public static async Task<string> SignInAsync(GrpcChannel channel, SampleCitizen citizen)
    {
        var development = new DevelopmentService.DevelopmentServiceClient(channel);
        var identity = new IdentityService.IdentityServiceClient(channel);
        var assertion = await development.IssueDevelopmentAssertionAsync(new IssueDevelopmentAssertionRequest
        {
            IdNumber = citizen.IdNumber,
            FullName = citizen.FullName,
            BirthDate = citizen.BirthDate,
            AssuranceLevel = 2,
        });
        var tokens = await identity.ExchangeIdentityAssertionAsync(new ExchangeIdentityAssertionRequest { Assertion = assertion.Assertion });
        return tokens.AccessToken;
    }
}

/// <summary>A citizen of the loaded population, from one line "id\tfull name\tyyyy-mm-dd\tmale|female\tcommune code".</summary>
internal sealed record SampleCitizen(string IdNumber, string FullName, string BirthDate, string Gender, string CommuneCode)
{
    public static SampleCitizen Parse(string line)
    {
        var parts = line.Split('\t');
        return parts.Length < 5 ? throw new FormatException($"Not a citizen sample line: {line}") : new(parts[0], parts[1], parts[2], parts[3], parts[4]);
    }
}
