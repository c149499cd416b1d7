using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity.Grpc;

/// <summary>Puts the citizens a test needs straight into the population tables, as the registry would hold them.</summary>
public static class RegistryCitizens
{
    public static async Task AddAsync(
        IServiceProvider services, string idNumber, string fullName, BirthDate birthDate, string? phone, CitizenStatus status = CitizenStatus.Living)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        db.Add(new CitizenRow
        {
            IdNumber = idNumber,
            FullName = fullName,
            FoldedName = fullName.ToLowerInvariant(),
            BirthYear = birthDate.Year,
            BirthMonth = birthDate.Month,
            BirthDay = birthDate.Day,
            Gender = Gender.Male,
            Ethnicity = "Kinh",
            Religion = "Không",
            Nationality = "VN",
            BirthRegistrationUnitId = 1,
            HometownUnitId = 1,
            PermanentUnitId = 1,
            PermanentAddress = "1 Tràng Thi, Hoàn Kiếm, Hà Nội",
            CurrentUnitId = 1,
            CurrentAddress = "1 Tràng Thi, Hoàn Kiếm, Hà Nội",
            CurrentProvinceId = 1,
            Phone = phone,
            Status = status,
        });
        await db.SaveChangesAsync();
    }
}
