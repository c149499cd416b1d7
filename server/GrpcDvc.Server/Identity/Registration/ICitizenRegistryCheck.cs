using GrpcDvc.Server.Population;

namespace GrpcDvc.Server.Identity.Registration;

/// <summary>How registration details compare with the national population database.</summary>
public enum RegistryMatch
{
    /// <summary>The ID number exists and name, birth date and mobile number all agree.</summary>
    Matched,

    /// <summary>No citizen has this ID number.</summary>
    NotFound,

    /// <summary>The citizen exists but a detail differs (name, birth date, or the registered mobile number).</summary>
    Mismatch,
}

/// <summary>
/// Checks a would-be account holder against the population registry. Registration refuses
/// anything but <see cref="RegistryMatch.Matched"/> with one reason (REGISTRY_MISMATCH), so the
/// form cannot be used to probe which detail of someone's record is wrong.
/// </summary>
public interface ICitizenRegistryCheck
{
    /// <param name="birthDate">As precise as the citizen's record: a year-only record matches only a year.</param>
    /// <param name="phone">E.164 (+84…).</param>
    Task<RegistryMatch> MatchAsync(string idNumber, string fullName, BirthDate birthDate, string phone, CancellationToken cancellationToken);
}
