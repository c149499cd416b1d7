using Grpc.Core;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Dossiers;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Population;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Dossiers.Submission;

/// <summary>
/// The real server with the registry's test units and citizens (RegistryTestData: commune A was merged
/// into A-new in 2025), callers standing in by header, and a clock the test sets: submissions on a
/// chosen Vietnamese day and hour.
/// </summary>
public sealed class SubmissionServer : IAsyncDisposable
{
    private SubmissionServer(RegistryServer registry, FakeTimeProvider clock)
    {
        Registry = registry;
        Clock = clock;
        Dossiers = new DossierService.DossierServiceClient(registry.Server.Channel);
    }

    public RegistryServer Registry { get; }

    public FakeTimeProvider Clock { get; }

    public DossierService.DossierServiceClient Dossiers { get; }

    /// <summary>Monday 7/12/2026 09:00 in Hà Nội: inside office hours, no holiday near.</summary>
    public static DateTimeOffset MondayMorning { get; } = Vn(2026, 12, 7, 9, 0);

    public static async Task<SubmissionServer> StartAsync(string? postgres)
    {
        var clock = new FakeTimeProvider(MondayMorning);
        var registry = await RegistryServer.StartAsync(postgres, services => services.AddSingleton<TimeProvider>(clock), "--Dvc:Population:DemoCitizens=0");
        return new SubmissionServer(registry, clock);
    }

    public static DateTimeOffset Vn(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(7));

    /// <summary>A citizen of commune A in the registry, signed in under <paramref name="key"/>.</summary>
    public async Task<CitizenRow> CitizenAsync(string key, string fullName = "Nguyễn Văn Nộp", int birthYear = 1988, Action<CitizenRow>? tweak = null)
    {
        var row = await Registry.Data.AddCitizenAsync(fullName, birthYear, tweak: tweak);
        Registry.Callers.Citizen(key, row.IdNumber);
        return row;
    }

    public Task<SubmitDossierResponse> SubmitAsync(string callerKey, SubmitDossierRequest request)
        => Dossiers.SubmitDossierAsync(request, RegistryServer.As(callerKey)).ResponseAsync;

    /// <summary>What a portal sends for a person the registry holds, as it holds them.</summary>
    public static Declaration Declare(CitizenRow row) => new()
    {
        IdNumber = row.IdNumber,
        FullName = row.FullName,
        BirthDate = new PartialDate { Year = row.BirthYear, Month = row.BirthMonth ?? 0, Day = row.BirthDay ?? 0, Precision = DatePrecision.Full },
        Gender = row.Gender == Server.Population.Gender.Female ? Gender.Female : Gender.Male,
    };

    /// <summary>A temporary-residence registration (BCA-L4-03) in commune A, result online.</summary>
    public static SubmitDossierRequest TemporaryResidence(CitizenRow applicant) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        ProcedureCode = "BCA-L4-03",
        Applicant = Declare(applicant),
        CommuneCode = RegistryTestData.CommuneA,
        Delivery = new ResultDelivery { Method = DeliveryMethod.Online },
        Form = { ["dia_chi_tam_tru"] = "Số 5 ngõ 10 phố Hàng Bún" },
    };

    /// <summary>An uploaded attachment of <paramref name="owner"/> no dossier holds yet (the upload itself is another part's).</summary>
    public async Task<Guid> AttachmentAsync(Guid owner, string documentName)
    {
        var id = Guid.NewGuid();
        await WithDbAsync(async db =>
        {
            db.Attachments().Add(new AttachmentRecord
            {
                Id = id, OwnerAccountId = owner, RequestId = Guid.NewGuid().ToString(), FileName = "hop-dong.pdf", ContentType = "application/pdf",
                Size = 1024, Sha256 = new string('a', 64), DocumentName = documentName, UploadedAt = MondayMorning.AddHours(-1),
            });
            return await db.SaveChangesAsync();
        });
        return id;
    }

    public async Task<T> WithDbAsync<T>(Func<DvcDbContext, Task<T>> read) => await Registry.WithDbAsync(read);

    /// <summary>How many rows the submission's tables hold: dossiers, people, events, code counters.</summary>
    public Task<(int Dossiers, int People, int Events, int Counters)> CountsAsync()
        => WithDbAsync(async db => (await db.Dossiers().CountAsync(), await db.DossierPeople().CountAsync(),
            await db.DossierEvents().CountAsync(), await db.DossierCodeCounters().CountAsync()));

    public static CallOptions As(string key) => RegistryServer.As(key);

    public ValueTask DisposeAsync() => Registry.DisposeAsync();
}
