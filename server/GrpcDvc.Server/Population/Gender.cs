namespace GrpcDvc.Server.Population;

/// <summary>Gender as the population database and the ID number's century/gender digit record it.</summary>
public enum Gender
{
    Male = 1,
    Female = 2,
}
