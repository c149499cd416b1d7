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

    public static Task<SubmissionServer> StartAsync(string? postgres, params string[] extraArgs) => StartWithAsync(postgres, null, extraArgs);

    /// <summary>As <see cref="StartAsync"/>, with more services (a test's interceptors).</summary>
    public static async Task<SubmissionServer> StartWithAsync(string? postgres, Action<IServiceCollection>? configureServices, params string[] extraArgs)
    {
        var clock = new FakeTimeProvider(MondayMorning);
        var registry = await RegistryServer.StartAsync(postgres, services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            configureServices?.Invoke(services);
        }, ["--Dvc:Population:DemoCitizens=0", .. extraArgs]);
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
        Form = { FormFor("BCA-L4-03", applicant.FullName, Birth(applicant), applicant.Gender == Server.Population.Gender.Female, applicant.IdNumber) },
    };

    /// <summary>Makes <paramref name="request"/> a submission of <paramref name="procedure"/> with that procedure's form filled for the applicant.</summary>
    public static void UseProcedure(SubmitDossierRequest request, string procedure, CitizenRow applicant)
    {
        request.ProcedureCode = procedure;
        request.Form.Clear();
        request.Form.Add(FormFor(procedure, applicant.FullName, Birth(applicant), applicant.Gender == Server.Population.Gender.Female, applicant.IdNumber));
    }

    /// <summary>
    /// The procedure's form (Catalog/Data/forms.json) as a portal fills it: CT01 for the residence
    /// procedures (with the online fields of the address and period where the registry effect reads
    /// them), the stay and absence contents for L4-10 and L4-11, free keys where the catalog does not
    /// know the form's fields (DC02, CC01…).
    /// </summary>
    public static Dictionary<string, string> FormFor(string procedure, string fullName, DateOnly birth, bool female, string idNumber)
    {
        var dob = birth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return procedure switch
        {
            "BCA-L4-10" => new()
            {
                ["full_name"] = fullName, ["date_of_birth"] = dob, ["id_or_passport_number"] = idNumber, ["reason"] = "Thăm người thân",
                ["stay_from"] = "2026-12-07", ["stay_to"] = "2026-12-09", ["stay_address"] = "Số 5 ngõ 10 phố Hàng Bún",
            },
            "BCA-L4-11" => new()
            {
                ["full_name"] = fullName, ["personal_id_number"] = idNumber, ["reason"] = "Đi làm ăn xa",
                ["absence_from"] = "2026-12-07", ["absence_to"] = "2027-06-07", ["destination"] = "Thành phố Hồ Chí Minh",
            },
            "BCA-L4-01" or "BCA-L4-02" or "BCA-L4-03" or "BCA-L4-04" or "BCA-L4-05" or "BCA-L4-06" or "BCA-L4-07" or "BCA-L4-08" or "BCA-L4-09" => Ct01(procedure, fullName, dob, female),
            _ => new() { ["noi_dung_de_nghi"] = "Đề nghị cung cấp thông tin họ tên và nơi thường trú." },
        };
    }

    private static Dictionary<string, string> Ct01(string procedure, string fullName, string dob, bool female)
    {
        var form = new Dictionary<string, string>
        {
            ["full_name"] = fullName, ["date_of_birth"] = dob, ["gender"] = female ? "Nữ" : "Nam",
            ["request_content"] = "Đề nghị đăng ký tạm trú tại số 5 ngõ 10 phố Hàng Bún.",
        };
        if (procedure is "BCA-L4-01" or "BCA-L4-03" or "BCA-L4-08")
        {
            form["address_detail"] = "Số 5 ngõ 10 phố Hàng Bún";
        }

        if (procedure == "BCA-L4-07")
        {
            form["adjustment"] = "Thay đổi chủ hộ";
            form["household_head_id_number"] = "001090000001";
        }

        if (procedure == "BCA-L4-04")
        {
            form["to_date"] = "2028-12-31";
        }

        return form;
    }

    private static DateOnly Birth(CitizenRow row) => new(row.BirthYear, row.BirthMonth ?? 1, row.BirthDay ?? 1);

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
