using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Net.Client;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Contracts.Population.V1;

namespace GrpcDvc.Tests.Faults;

/// <summary>A living adult of the demo population with a mobile number: what registration asks for.</summary>
public sealed record RegistryPerson(string IdNumber, string FullName, string BirthDate, string Phone)
{
    /// <summary>The password this test gives the person's account.</summary>
    public string Password => $"Mat-khau-{IdNumber[^6..]}-faults";
}

/// <summary>
/// The calls a portal and an official's console make, each through the <see cref="CallLog"/> (with
/// its deadline, recorded): registration with the code from the development SMS outbox, citizen
/// sign-in, and an official's purpose-bound lookup.
/// </summary>
public sealed partial class FaultCallers(GrpcChannel channel, CallLog log)
{
    /// <summary>The demo officials' published password and TOTP seed (README, "Accounts in the demo").</summary>
    private const string DemoPassword = "demo-dvc-2026";
    private const string DemoTotpSeed = "DEMODVCDEMODVCDEMODVCDEMODVCDEMO";

    /// <summary>Citizens the README lists as living in the demo officials' unit (Hà Nội, P34-01).</summary>
    public static readonly IReadOnlyList<string> CitizensInDemoUnit = ["001096977891", "001302085834", "001093901287", "056171294781"];

    private readonly IdentityService.IdentityServiceClient _identity = new(channel);
    private readonly DevelopmentService.DevelopmentServiceClient _development = new(channel);
    private readonly PopulationService.PopulationServiceClient _population = new(channel);

    /// <summary>Living adults with a mobile number of their own (no two share one: the per-phone SMS throttle would slow them).</summary>
    public static async Task<List<RegistryPerson>> PeopleWithPhonesAsync(FaultDatabase db, int count)
    {
        var rows = await db.QueryAsync(
            "SELECT id_number, full_name, birth_year, birth_month, birth_day, phone FROM citizens WHERE status = 1 AND phone IS NOT NULL ORDER BY id_number");
        var people = rows
            .Select(r => new RegistryPerson((string)r[0]!, (string)r[1]!, BirthDate(r[2], r[3], r[4]), (string)r[5]!))
            .Where(p => !CitizensInDemoUnit.Contains(p.IdNumber))
            .GroupBy(p => p.Phone).Where(g => g.Count() == 1).Select(g => g.Single())
            .Take(count).ToList();
        Assert.True(people.Count == count, $"only {people.Count} of {count} people with a phone of their own in the demo population");
        return people;
    }

    /// <summary>A demo official's sign-in (password and TOTP), outside the load: a TOTP step works once per official.</summary>
    public async Task<TokenResponse> SignInDemoOfficialAsync(string username)
        => await _identity.SignInOfficialAsync(new SignInOfficialRequest
        {
            Username = username,
            Password = DemoPassword,
            TotpCode = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(DemoTotpSeed)).ComputeTotp(DateTime.UtcNow),
        }, deadline: DateTime.UtcNow.AddSeconds(10));

    public Task<(StartCitizenRegistrationResponse? Reply, StatusCode Status)> StartRegistrationAsync(RegistryPerson person, string clientRequestId)
        => log.CallAsync("StartCitizenRegistration", o => _identity.StartCitizenRegistrationAsync(new StartCitizenRegistrationRequest
        {
            ClientRequestId = clientRequestId,
            IdNumber = person.IdNumber,
            FullName = person.FullName,
            BirthDate = person.BirthDate,
            Phone = person.Phone,
        }, o));

    /// <summary>The code of the newest text to the phone still holding one, from the development SMS outbox.</summary>
    public async Task<(string? Code, StatusCode Status)> NewestCodeAsync(string phone)
    {
        var (inbox, status) = await log.CallAsync("ListSmsMessages", o => _development.ListSmsMessagesAsync(new ListSmsMessagesRequest { Phone = phone }, o));
        var code = inbox?.Messages.OrderByDescending(m => m.SentAt).Select(m => OtpText().Match(m.Text)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        return (code, status);
    }

    public Task<(TokenResponse? Reply, StatusCode Status)> CompleteRegistrationAsync(string registrationId, string code, string password)
        => log.CallAsync("CompleteCitizenRegistration", o => _identity.CompleteCitizenRegistrationAsync(new CompleteCitizenRegistrationRequest
        {
            RegistrationId = registrationId,
            Otp = code,
            Password = password,
        }, o));

    public Task<(TokenResponse? Reply, StatusCode Status)> SignInCitizenAsync(RegistryPerson person)
        => log.CallAsync("SignInCitizen", o => _identity.SignInCitizenAsync(new SignInCitizenRequest { IdNumber = person.IdNumber, Password = person.Password }, o));

    /// <summary>A lookup for a dossier: the reference names the call, so its access-log entry can be found by it.</summary>
    public Task<(LookupCitizenResponse? Reply, StatusCode Status)> LookupAsync(string accessToken, string idNumber, string reference)
        => log.CallAsync("LookupCitizen", o => _population.LookupCitizenAsync(new LookupCitizenRequest
        {
            IdNumber = idNumber,
            Access = new AccessContext { Purpose = AccessPurpose.DossierProcessing, Reference = reference },
        }, o), new Metadata { { "authorization", "Bearer " + accessToken } });

    /// <summary>The session an access token belongs to (its "sid" claim): the family id of its refresh tokens.</summary>
    public static Guid SessionOf(string accessToken)
    {
        var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(accessToken.Split('.')[1]));
        return Guid.Parse(payload.RootElement.GetProperty("sid").GetString()!);
    }

    private static string BirthDate(object? year, object? month, object? day)
    {
        var y = Convert.ToInt32(year, CultureInfo.InvariantCulture);
        return (month, day) switch
        {
            (null, _) => y.ToString("D4", CultureInfo.InvariantCulture),
            (_, null) => string.Create(CultureInfo.InvariantCulture, $"{y:D4}-{Convert.ToInt32(month, CultureInfo.InvariantCulture):D2}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{y:D4}-{Convert.ToInt32(month, CultureInfo.InvariantCulture):D2}-{Convert.ToInt32(day, CultureInfo.InvariantCulture):D2}"),
        };
    }

    [GeneratedRegex(@"\b(\d{6})\b")]
    private static partial Regex OtpText();
}
