using System.Collections.Concurrent;
using GrpcDvc.Server.Identity.Registration;
using GrpcDvc.Server.Population;

namespace GrpcDvc.Tests.Identity;

/// <summary>A population registry holding only the citizens a test puts in it.</summary>
public sealed class FakeCitizenRegistry : ICitizenRegistryCheck
{
    private readonly ConcurrentDictionary<string, Citizen> _citizens = new(StringComparer.Ordinal);

    public int Checks { get; private set; }

    public void Add(string idNumber, string fullName, DateOnly birthDate, string phoneE164)
        => _citizens[idNumber] = new Citizen(fullName, birthDate, phoneE164);

    public Task<RegistryMatch> MatchAsync(string idNumber, string fullName, BirthDate birthDate, string phone, CancellationToken cancellationToken)
    {
        Checks++;
        if (!_citizens.TryGetValue(idNumber, out var citizen))
        {
            return Task.FromResult(RegistryMatch.NotFound);
        }

        var same = string.Equals(citizen.FullName, fullName, StringComparison.OrdinalIgnoreCase)
            && BirthDate.FromDate(citizen.BirthDate) == birthDate && citizen.Phone == phone;
        return Task.FromResult(same ? RegistryMatch.Matched : RegistryMatch.Mismatch);
    }

    private sealed record Citizen(string FullName, DateOnly BirthDate, string Phone);
}
