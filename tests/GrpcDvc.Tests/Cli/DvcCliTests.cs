using System.Text.Json;
using GrpcDvc.Cli;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Cli;

/// <summary>
/// The dvc tool's whole command tree, run in-process as a user types it, against the real server
/// (its demo officials and demo population): output, session file and exit codes.
/// </summary>
public sealed class DvcCliTests : IAsyncLifetime
{
    private const string DemoSeed = "DEMODVCDEMODVCDEMODVCDEMODVCDEMO";
    private const string HanoiCitizen = "001096977891";
    private const string SaigonCitizen = "036050912204";

    private readonly string _configDirectory = Path.Combine(Path.GetTempPath(), $"grpcdvc-cli-{Guid.NewGuid():N}");
    private InProcessServer _server = null!;

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        if (Directory.Exists(_configDirectory))
        {
            Directory.Delete(_configDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task SignIn_AsADemoOfficialFromThePublishedSeed_SavesAnOwnerOnlySession_AndWhoAmISaysWho()
    {
        var signIn = await SignInAsync("demo.processing");
        var whoAmI = await DvcAsync("whoami");

        Assert.Equal(ExitCodes.Ok, signIn.ExitCode);
        Assert.Equal(ExitCodes.Ok, whoAmI.ExitCode);
        Assert.Contains("Cán bộ xử lý (demo) (official, ProcessingOfficer; agency P34-01", whoAmI.Output);
        var file = Path.Combine(_configDirectory, "session.json");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Equal(_server.GrpcAddress, new Uri(JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("server").GetString()!));
    }

    [Fact]
    public async Task CitizenLookup_WithAFriendlyPurpose_ReturnsThatPurposesFields_AndTheDemoAuditorFindsTheReadInTheAccessLog()
    {
        await SignInAsync("demo.processing");
        var lookup = await DvcAsync("citizen", "lookup", HanoiCitizen, "--purpose", "identity-verification");
        await SignInAsync("demo.auditor");
        var log = await DvcAsync("access-log", "--subject", HanoiCitizen);

        Assert.Equal((ExitCodes.Ok, ExitCodes.Ok), (lookup.ExitCode, log.ExitCode));
        Assert.Contains($"{HanoiCitizen}  Nguyễn Anh Anh", lookup.Output);
        Assert.Contains("fields returned: id_number, full_name", lookup.Output);
        Assert.Contains($"{HanoiCitizen}  Cán bộ xử lý (demo) (processing_officer, P34-01) identity-verification", log.Output);
        Assert.Contains("1 of 1 entries", log.Output);
    }

    [Fact]
    public async Task ProceduresListAndShow_NeedNoSignIn_AndFindTheCatalogEntries()
    {
        var list = await DvcAsync("procedures", "list", "--level", "4", "--field", "residence", "--text", "dang ky tam tru");
        var show = await DvcAsync("procedures", "show", "BCA-L4-03");

        Assert.Equal((ExitCodes.Ok, ExitCodes.Ok), (list.ExitCode, show.ExitCode));
        Assert.Contains("BCA-L4-03    L4  residence    Đăng ký tạm trú", list.Output);
        Assert.StartsWith("BCA-L4-03  Đăng ký tạm trú", show.Output);
        Assert.Contains("forms: CT01", show.Output);
    }

    [Fact]
    public async Task JsonOption_PrintsTheProtoMessagesAsJson()
    {
        await SignInAsync("demo.intake");

        var list = Json(await DvcAsync("--json", "procedures", "list", "--page-size", "2"));
        var me = Json(await DvcAsync("whoami", "--json"));
        var lookup = Json(await DvcAsync("citizen", "lookup", HanoiCitizen, "--purpose", "IDENTITY-VERIFICATION", "--json"));

        Assert.Equal(2, list.GetProperty("procedures").GetArrayLength());
        Assert.Equal("ROLE_INTAKE_OFFICER", me.GetProperty("caller").GetProperty("roles")[0].GetString());
        Assert.Equal("Nguyễn Anh Anh", lookup.GetProperty("citizen").GetProperty("fullName").GetString());
    }

    [Fact]
    public async Task InvalidIdNumber_PrintsTheFieldViolationAndReason_AndExitsWithTheServerErrorCode()
    {
        await SignInAsync("demo.processing");

        var result = await DvcAsync("citizen", "lookup", "12345", "--purpose", "residence-management");

        Assert.Equal(ExitCodes.ServerError, result.ExitCode);
        Assert.Contains("error: InvalidArgument:", result.Error);
        Assert.Contains("  id_number: A personal ID number has 12 digits", result.Error);
        Assert.Contains("  reason: INVALID_ARGUMENT", result.Error);
    }

    [Fact]
    public async Task CitizenOutsideTheOfficialsUnit_IsRefusedWithTheScopeReason()
    {
        await SignInAsync("demo.approver");

        var result = await DvcAsync("citizen", "lookup", SaigonCitizen, "--purpose", "identity-verification");

        Assert.Equal(ExitCodes.ServerError, result.ExitCode);
        Assert.Contains("error: PermissionDenied:", result.Error);
        Assert.Contains("reason: OUTSIDE_AGENCY_SCOPE", result.Error);
    }

    [Theory]
    [InlineData("'nonsense' is not one of dossier-processing, identity-verification", "citizen", "lookup", HanoiCitizen, "--purpose", "nonsense")]
    [InlineData("'--purpose' is required", "citizen", "lookup", HanoiCitizen)]
    [InlineData("Give either --totp CODE or --totp-secret BASE32", "signin", "--username", "demo.auditor", "--password", "x")]
    [InlineData("--totp-secret: not a base32 seed", "signin", "--username", "demo.auditor", "--password", "x", "--totp-secret", "not-base32!")]
    [InlineData("'5'", "procedures", "list", "--level", "5")]
    [InlineData("'frobnicate'", "frobnicate")]
    [InlineData("tokens would cross the network unencrypted", "--server", "http://192.0.2.1:5080", "procedures", "list")]
    [InlineData("is not an http:// or https:// address", "--server", "ftp://127.0.0.1", "procedures", "list")]
    public async Task UsageErrors_PrintWhatIsWrong_AndExitWithTheUsageCode(string expected, params string[] args)
    {
        var result = await DvcAsync(args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(expected, result.Error);
    }

    [Fact]
    public async Task CommandsNeedingASession_WithoutOne_ExitWithTheNotSignedInCode()
    {
        var whoAmI = await DvcAsync("whoami");
        var lookup = await DvcAsync("citizen", "lookup", HanoiCitizen, "--purpose", "identity-verification");

        Assert.Equal((ExitCodes.NotSignedIn, ExitCodes.NotSignedIn), (whoAmI.ExitCode, lookup.ExitCode));
        Assert.Contains("Not signed in", whoAmI.Error);
    }

    [Fact]
    public async Task AccessLog_ForAnOfficialWhoIsNotAnAuditor_IsRefusedByTheServer()
    {
        await SignInAsync("demo.station");

        var result = await DvcAsync("access-log");

        Assert.Equal(ExitCodes.ServerError, result.ExitCode);
        Assert.Contains("reason: ROLE_NOT_ALLOWED", result.Error);
    }

    [Fact]
    public async Task TooManyLookups_PrintTheRetryDelayFromRetryInfo()
    {
        await using var limited = await InProcessServer.StartAsync(null, "--Dvc:Identity:RateLimits:LookupPerAccount:Permits=1");
        await SignInAsync("demo.processing", limited);

        await DvcAsync(limited, "citizen", "lookup", HanoiCitizen, "--purpose", "identity-verification");
        var refused = await DvcAsync(limited, "citizen", "lookup", HanoiCitizen, "--purpose", "identity-verification");

        Assert.Equal(ExitCodes.ServerError, refused.ExitCode);
        Assert.Contains("error: ResourceExhausted:", refused.Error);
        Assert.Matches(@"retry after: \d+(\.\d)? s", refused.Error);
    }

    [Fact]
    public async Task ExpiringAccessToken_IsRefreshedThroughDvcSession_AndTheRotatedTokensAreSaved()
    {
        // Access tokens of 20 s are always within DvcSession's 30 s margin: every command refreshes first.
        await using var shortLived = await InProcessServer.StartAsync(null, "--Dvc:Identity:AccessTokenLifetime=00:00:20");
        await SignInAsync("demo.auditor", shortLived);
        var signedIn = RefreshToken();

        var first = await DvcAsync(shortLived, "whoami");
        var afterFirst = RefreshToken();
        var second = await DvcAsync(shortLived, "whoami");

        Assert.Equal((ExitCodes.Ok, ExitCodes.Ok), (first.ExitCode, second.ExitCode));
        Assert.NotEqual(signedIn, afterFirst);
        // The second run used the saved rotated token: reusing a spent one would have ended the session.
        Assert.NotEqual(afterFirst, RefreshToken());
    }

    [Fact]
    public async Task SignOut_EndsTheSession_AndForgetsIt()
    {
        await SignInAsync("demo.admin");

        var signOut = await DvcAsync("signout");
        var whoAmI = await DvcAsync("whoami");

        Assert.Equal((ExitCodes.Ok, ExitCodes.NotSignedIn), (signOut.ExitCode, whoAmI.ExitCode));
        Assert.False(File.Exists(Path.Combine(_configDirectory, "session.json")));
    }

    [Fact]
    public async Task Official_SetRolesDisableEnableReenrol_AsTheDemoAdministrator_ChangeTheDemoIntakeOfficer()
    {
        await SignInAsync("demo.admin");
        var intake = await IntakeOfficerIdAsync();

        var roles = await DvcAsync("official", "set-roles", intake, "--role", "intake-officer", "--role", "auditor");
        var disable = await DvcAsync("official", "disable", intake);
        var enable = await DvcAsync("official", "enable", intake);
        var reenrol = await DvcAsync("official", "reenrol", intake, "--request-id", "cli-reenrol-1");
        var retry = await DvcAsync("official", "reenrol", intake, "--request-id", "cli-reenrol-1");
        var badRole = await DvcAsync("official", "set-roles", intake, "--role", "mayor");

        Assert.Equal([ExitCodes.Ok, ExitCodes.Ok, ExitCodes.Ok, ExitCodes.Ok, ExitCodes.Ok, ExitCodes.Usage],
            new[] { roles, disable, enable, reenrol, retry }.Append(badRole).Select(r => r.ExitCode));
        Assert.Contains($"demo.intake  Cán bộ tiếp nhận (demo) (agency P34-01; intake-officer, auditor; enabled; account {intake})", roles.Output);
        Assert.Contains("; disabled; account", disable.Output);
        Assert.Contains("; enabled; account", enable.Output);
        Assert.Contains("otpauth://totp/", reenrol.Output);
        Assert.Equal(reenrol.Output, retry.Output);
        Assert.Contains("--role: 'mayor' is not one of", badRole.Error);
    }

    [Fact]
    public async Task Official_DisableThemselves_IsAServerErrorNamingTheReason()
    {
        var me = await SignInAsync("demo.admin");
        var id = System.Text.RegularExpressions.Regex.Match(me.Output, "account ([0-9a-f-]{36})").Groups[1].Value;

        var result = await DvcAsync("official", "disable", id);

        Assert.Equal(ExitCodes.ServerError, result.ExitCode);
        Assert.Contains("ADMINISTRATOR_SELF_DISABLE", result.Error);
    }

    [Fact]
    public async Task SessionOfAnotherServer_IsNotSentHere()
    {
        await SignInAsync("demo.processing");
        await using var other = await InProcessServer.StartAsync(null, "--Dvc:Population:DemoCitizens=0");

        var result = await DvcAsync(other, "whoami");

        Assert.Equal(ExitCodes.NotSignedIn, result.ExitCode);
    }

    [Fact]
    public async Task H2cChannel_CarriesTheToken_OnlyWhenTokensWithoutTlsAreAllowed()
    {
        await SignInAsync("demo.auditor");
        var token = new SavedToken(JsonDocument.Parse(File.ReadAllText(Path.Combine(_configDirectory, "session.json"))).RootElement
            .GetProperty("tokens").GetProperty("accessToken").GetString()!);

        using var allowed = DvcChannel.Create(_server.GrpcAddress, new DvcChannelOptions { Credentials = AccessTokenCredentials.From(token), AllowTokensWithoutTls = true });
        var me = await new IdentityService.IdentityServiceClient(allowed).WhoAmIAsync(new WhoAmIRequest());
        // Grpc.Net.Client refuses the combination outright rather than dropping the token silently.
        var refused = Assert.Throws<InvalidOperationException>(() => DvcChannel.Create(
            _server.GrpcAddress, new DvcChannelOptions { Credentials = AccessTokenCredentials.From(token), AllowTokensWithoutTls = false }));

        Assert.Equal("Kiểm tra, giám sát (demo)", me.Caller.DisplayName);
        Assert.Contains("UnsafeUseInsecureChannelCallCredentials", refused.Message);
    }

    private Task<CliResult> SignInAsync(string username, InProcessServer? server = null)
        => DvcAsync(server ?? _server, "signin", "--username", username, "--password", "demo-dvc-2026", "--totp-secret", DemoSeed);

    private Task<CliResult> DvcAsync(params string[] args) => DvcAsync(_server, args);

    private async Task<CliResult> DvcAsync(InProcessServer server, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new CliEnvironment
        {
            Output = output,
            Error = error,
            ConfigDirectory = _configDirectory,
            DefaultServer = server.GrpcAddress.ToString(),
        };
        var exitCode = await DvcCli.RunAsync(args, environment);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    private async Task<string> IntakeOfficerIdAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        return (await db.Set<OfficialAccountRecord>().SingleAsync(a => a.Username == "demo.intake")).Id.ToString("D");
    }

    private string RefreshToken()
        => JsonDocument.Parse(File.ReadAllText(Path.Combine(_configDirectory, "session.json"))).RootElement
            .GetProperty("tokens").GetProperty("refreshToken").GetString()!;

    private static JsonElement Json(CliResult result)
    {
        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        return JsonDocument.Parse(result.Output).RootElement;
    }

    private sealed record CliResult(int ExitCode, string Output, string Error);

    private sealed class SavedToken(string token) : IAccessTokenSource
    {
        public ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(token);
    }
}
