using System.Reflection;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Tests.Support;
using Xunit.Abstractions;
using static GrpcDvc.Contracts.Auth.V1.Role;

namespace GrpcDvc.Tests.Access;

/// <summary>
/// Every rpc × every role, against a table written by hand: the proto's policy must say what the
/// table says (so a changed proto without a changed table fails), and the running server must
/// let through and turn away exactly as the table says.
/// </summary>
public sealed class AccessMatrixTests(ITestOutputHelper output)
{
    private static readonly Role[] Everyone = [Citizen, IntakeOfficer, ProcessingOfficer, ApprovingLeader, StationManager, Auditor, Administrator];

    /// <summary>rpc → null when public, else the roles that may call it.</summary>
    private static readonly Dictionary<string, Role[]?> Expected = new(StringComparer.Ordinal)
    {
        ["dvc.catalog.v1.CatalogService.ListProcedures"] = null,
        ["dvc.catalog.v1.CatalogService.GetProcedure"] = null,
        ["dvc.catalog.v1.CatalogService.GetProcedureForm"] = null,

        ["dvc.identity.v1.IdentityService.StartCitizenRegistration"] = null,
        ["dvc.identity.v1.IdentityService.ResendRegistrationOtp"] = null,
        ["dvc.identity.v1.IdentityService.CompleteCitizenRegistration"] = null,
        ["dvc.identity.v1.IdentityService.SignInCitizen"] = null,
        ["dvc.identity.v1.IdentityService.ExchangeIdentityAssertion"] = null,
        ["dvc.identity.v1.IdentityService.SignInOfficial"] = null,
        ["dvc.identity.v1.IdentityService.RefreshTokens"] = null,
        ["dvc.identity.v1.IdentityService.SignOut"] = null,
        ["dvc.identity.v1.IdentityService.WhoAmI"] = Everyone,
        ["dvc.identity.v1.IdentityService.CreateOfficial"] = [Administrator],
        ["dvc.identity.v1.IdentityService.SetOfficialRoles"] = [Administrator],
        ["dvc.identity.v1.IdentityService.DisableOfficial"] = [Administrator],
        ["dvc.identity.v1.IdentityService.EnableOfficial"] = [Administrator],
        ["dvc.identity.v1.IdentityService.ReenrolOfficialTotp"] = [Administrator],
        ["dvc.identity.v1.IdentityService.ListOfficials"] = [Administrator, Auditor],
        ["dvc.identity.v1.DevelopmentService.ListSmsMessages"] = null,
        ["dvc.identity.v1.DevelopmentService.IssueDevelopmentAssertion"] = null,

        ["dvc.population.v1.PopulationService.LookupCitizen"] = [IntakeOfficer, ProcessingOfficer, ApprovingLeader],
        ["dvc.population.v1.PopulationService.SearchCitizens"] = [IntakeOfficer, ProcessingOfficer, ApprovingLeader],
        ["dvc.population.v1.PopulationService.VerifyDeclaration"] = [Citizen, IntakeOfficer, ProcessingOfficer],
        ["dvc.population.v1.PopulationService.ConfirmIdNumbers"] = [Citizen, IntakeOfficer, ProcessingOfficer],
        ["dvc.population.v1.PopulationService.GetPersonalIdNotification"] = [Citizen, IntakeOfficer, ProcessingOfficer],
        ["dvc.population.v1.PopulationService.ConfirmResidence"] = [Citizen, IntakeOfficer, ProcessingOfficer],
        ["dvc.population.v1.PopulationService.ExtractInformation"] = [Citizen, ProcessingOfficer, ApprovingLeader],
        ["dvc.population.v1.PopulationService.GetMyRecord"] = [Citizen],
        ["dvc.population.v1.PopulationService.ListMyDataAccesses"] = [Citizen],

        ["dvc.audit.v1.AuditService.QueryDataAccesses"] = [Auditor],
        ["dvc.audit.v1.AuditService.QuerySignIns"] = [Auditor, Administrator],

        ["dvc.calendar.v1.CalendarService.ListHolidays"] = null,
        ["dvc.calendar.v1.CalendarService.GetWorkingDays"] = null,
        ["dvc.calendar.v1.CalendarService.ComputeDueDate"] = null,
        ["dvc.calendar.v1.CalendarService.SetHoliday"] = [Administrator],
        ["dvc.calendar.v1.CalendarService.RemoveHoliday"] = [Administrator],

        ["dvc.dossiers.v1.DossierService.UploadAttachment"] = [Citizen],
        ["dvc.dossiers.v1.DossierService.SubmitDossier"] = [Citizen],
        ["dvc.dossiers.v1.DossierService.SupplementDossier"] = [Citizen],
        ["dvc.dossiers.v1.DossierService.WithdrawDossier"] = [Citizen],
        ["dvc.dossiers.v1.DossierService.ListMyDossiers"] = [Citizen],
        ["dvc.dossiers.v1.DossierService.GetDossier"] = [Citizen, IntakeOfficer, ProcessingOfficer, ApprovingLeader, Auditor],
        ["dvc.dossiers.v1.DossierService.WatchDossier"] = [Citizen, IntakeOfficer, ProcessingOfficer, ApprovingLeader],
        ["dvc.dossiers.v1.DossierService.TrackDossier"] = null,
        ["dvc.dossiers.v1.DossierService.ListDossiers"] = [IntakeOfficer, ProcessingOfficer, ApprovingLeader],
        ["dvc.dossiers.v1.DossierService.ReceiveDossier"] = [IntakeOfficer],
        ["dvc.dossiers.v1.DossierService.StartProcessing"] = [ProcessingOfficer],
        ["dvc.dossiers.v1.DossierService.RequestSupplement"] = [IntakeOfficer, ProcessingOfficer],
        ["dvc.dossiers.v1.DossierService.RejectDossier"] = [IntakeOfficer, ProcessingOfficer, ApprovingLeader],
        ["dvc.dossiers.v1.DossierService.ApproveDossier"] = [ApprovingLeader],
        ["dvc.dossiers.v1.DossierService.IssueResult"] = [ProcessingOfficer, ApprovingLeader],
        ["dvc.dossiers.v1.DossierService.ReturnResult"] = [IntakeOfficer, ProcessingOfficer],
        ["dvc.dossiers.v1.DossierService.GetDossierHistory"] = [Citizen, IntakeOfficer, ProcessingOfficer, ApprovingLeader, Auditor],
        ["dvc.dossiers.v1.DossierService.VerifyDossierHistory"] = [Auditor],
        ["dvc.dossiers.v1.DossierService.SearchDossiers"] = [Auditor],
        ["dvc.jobs.v1.JobService.ListJobs"] = [Administrator, Auditor],
        ["dvc.jobs.v1.JobService.ListJobRuns"] = [Administrator, Auditor],
        ["dvc.appointments.v1.AppointmentService.FindOpenSlots"] = [Citizen],
        ["dvc.appointments.v1.AppointmentService.BookAppointment"] = [Citizen],
        ["dvc.appointments.v1.AppointmentService.RescheduleAppointment"] = [Citizen],
        ["dvc.appointments.v1.AppointmentService.CancelAppointment"] = [Citizen],
        ["dvc.appointments.v1.AppointmentService.ListMyAppointments"] = [Citizen],
        ["dvc.appointments.v1.AppointmentService.GetAppointment"] = [Citizen, IntakeOfficer, StationManager],
        ["dvc.appointments.v1.AppointmentService.GetAppointmentSlip"] = [Citizen, IntakeOfficer],
        ["dvc.appointments.v1.AppointmentService.ListStationAppointments"] = [IntakeOfficer, StationManager],
        ["dvc.appointments.v1.AppointmentService.CheckIn"] = [IntakeOfficer],
        ["dvc.appointments.v1.AppointmentService.MarkCollected"] = [IntakeOfficer],
        // Described with AppointmentService (appointments.proto imports stations.proto); served by the stations part.
        ["dvc.appointments.v1.StationService.CreateStation"] = [StationManager],
        ["dvc.appointments.v1.StationService.UpdateStation"] = [StationManager],
        ["dvc.appointments.v1.StationService.GetStation"] = null,
        ["dvc.appointments.v1.StationService.ListStations"] = null,
        ["dvc.appointments.v1.StationService.SetWeeklyTemplate"] = [StationManager],
        ["dvc.appointments.v1.StationService.SetDayOverride"] = [StationManager],
        ["dvc.appointments.v1.StationService.SetQuota"] = [StationManager],
        ["dvc.appointments.v1.StationService.GetStationUtilization"] = [StationManager, Auditor],
    };

    /// <summary>Refusals only the gate gives; a service's own refusal of an empty request does not count as the gate's.</summary>
    private static readonly HashSet<string> GateReasons =
    [
        AccessReasons.AccessTokenMissing, AccessReasons.AuthorizationMalformed, AccessReasons.RoleNotAllowed,
        AccessReasons.NoPolicy, AccessReasons.AgencyUnitMissing, AccessReasons.SessionEnded,
        IdentityReasons.AccessTokenInvalid, IdentityReasons.AccessTokenExpired,
    ];

    [Fact]
    public void ProtoPolicies_SayWhatTheTableSays()
    {
        var methods = DvcMethods().ToDictionary(m => m.FullName, StringComparer.Ordinal);

        Assert.Empty(methods.Keys.Except(Expected.Keys));
        Assert.Empty(Expected.Keys.Except(methods.Keys));
        foreach (var (name, roles) in Expected)
        {
            var rule = MethodRule.For(methods[name], new AccessOptions());
            Assert.True(rule.Policy is not null, $"{name} declares no policy");
            Assert.True(rule.Policy.Public == (roles is null), $"{name}: public is {rule.Policy.Public}");
            Assert.Equal((roles ?? []).Order(), rule.AllowedRoles.Order());
        }
    }

    [Fact]
    public void PurposeRequired_IsOnlyDeclaredWhereTheRequestCarriesAnAccessContext()
    {
        foreach (var method in DvcMethods())
        {
            var rule = MethodRule.For(method, new AccessOptions());
            Assert.True(rule.Policy?.PurposeRequired != true || rule.AccessContextField is not null, $"{method.FullName} requires a purpose it cannot be given");
        }
    }

    [Fact]
    public async Task RunningServer_LetsThroughAndTurnsAwayExactlyAsTheTableSays()
    {
        await using var server = await StartAsync();
        var registered = server.MappedServices;
        AssertEveryRegisteredRpcIsInTheTable(registered);

        var (checkedCalls, skipped) = await CheckAsync(server, Expected);

        output.WriteLine($"{checkedCalls} calls checked over {Expected.Count - skipped.Count} registered rpcs; skipped: {skipped.Count}.");
        // Every rpc of the table must be called on the running server: one the server does not
        // map would otherwise pass here untested.
        Assert.Empty(skipped);
        Assert.Equal(Expected.Count * (2 + RoleNames.OfficialRoles.Count), checkedCalls);
    }

    /// <summary>The same walk over the test access probe, so the checker itself is proven on non-public rpcs whatever is registered.</summary>
    [Fact]
    public async Task RunningServer_TestAccessProbe_FollowsItsTable()
    {
        await using var server = await StartAsync();
        var table = new Dictionary<string, Role[]?>(StringComparer.Ordinal)
        {
            ["dvc.testing.v1.AccessProbeService.WhoIsCalling"] = null,
            ["dvc.testing.v1.AccessProbeService.ReadRecord"] = [Citizen, IntakeOfficer, ProcessingOfficer],
        };

        var (checkedCalls, skipped) = await CheckAsync(server, table);

        Assert.Empty(skipped);
        Assert.Equal(2 * 8, checkedCalls);
    }

    private static Task<InProcessServer> StartAsync() => InProcessServer.StartAsync(null,
        "--Dvc:Identity:Development:Enabled=true",
        "--Dvc:Identity:RateLimits:LookupPerAddress:Permits=100000",
        "--Dvc:Identity:RateLimits:LookupPerAccount:Permits=100000");

    /// <summary>
    /// Calls every registered rpc of <paramref name="table"/> with no token, as a citizen and as an
    /// official of each role (one per role, in P34-04), and checks each outcome against the table.
    /// </summary>
    private static async Task<(int Checked, List<string> Skipped)> CheckAsync(InProcessServer server, Dictionary<string, Role[]?> table)
    {
        var callers = new List<(string Name, Role? Role, string? Token)> { ("no token", null, null), ("citizen", Citizen, await TestCallers.CitizenAsync(server)) };
        foreach (var role in RoleNames.OfficialRoles)
        {
            callers.Add((RoleNames.Name(role), role, await TestCallers.OfficialAsync(server, "P34-04", role)));
        }

        var registered = server.MappedServices;
        var byName = registered.SelectMany(s => s.Methods).ToDictionary(m => m.FullName, StringComparer.Ordinal);
        var skipped = new List<string>();
        var checkedCalls = 0;
        foreach (var (rpc, roles) in table)
        {
            if (!byName.TryGetValue(rpc, out var method))
            {
                skipped.Add(rpc);
                continue;
            }

            foreach (var (name, role, token) in callers)
            {
                var status = await CallAsync(server.Channel, method, token);
                var where = $"{rpc} as {name}: {status.Code} {status.Reason}";
                if (roles is null || (role is { } r && roles.Contains(r)))
                {
                    Assert.False(IsGateRefusal(status), $"let through expected; {where}");
                }
                else if (token is null)
                {
                    Assert.True(status is { Code: StatusCode.Unauthenticated, Reason: AccessReasons.AccessTokenMissing }, $"UNAUTHENTICATED expected; {where}");
                }
                else
                {
                    Assert.True(status is { Code: StatusCode.PermissionDenied, Reason: AccessReasons.RoleNotAllowed }, $"PERMISSION_DENIED expected; {where}");
                }

                checkedCalls++;
            }
        }

        return (checkedCalls, skipped);
    }

    /// <summary>The rpcs of every dvc service compiled into the contracts assembly (test services excluded).</summary>
    private static IEnumerable<MethodDescriptor> DvcMethods()
        => typeof(PolicyReflection).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
            .OfType<FileDescriptor>()
            .Where(f => f.Package.StartsWith("dvc.", StringComparison.Ordinal))
            .SelectMany(f => f.Services)
            .SelectMany(s => s.Methods);

    /// <summary>A bound rpc that is neither in the table, nor infrastructure, nor a test harness service, fails the test.</summary>
    private static void AssertEveryRegisteredRpcIsInTheTable(IReadOnlyList<Google.Protobuf.Reflection.ServiceDescriptor> registered)
    {
        var unexpected = registered
            .Where(s => !AccessOptions.InfrastructureServices.Contains(s.FullName)
                        && !s.FullName.StartsWith("dvc.testing.", StringComparison.Ordinal)
                        && !s.FullName.StartsWith("grpc.testing.", StringComparison.Ordinal))
            .SelectMany(s => s.Methods)
            .Select(m => m.FullName)
            .Where(name => !Expected.ContainsKey(name))
            .ToList();
        Assert.True(unexpected.Count == 0, $"Registered rpcs missing from the access table: {string.Join(", ", unexpected)}");
    }

    /// <summary>Calls the rpc with an empty request (zero bytes are a valid message of every type) and returns how it ended.</summary>
    private static async Task<(StatusCode Code, string? Reason)> CallAsync(GrpcChannel channel, MethodDescriptor method, string? token)
    {
        var options = TestCallers.Bearer(token).WithDeadline(DateTime.UtcNow.AddSeconds(10));
        var invoker = channel.CreateCallInvoker();
        var empty = Marshallers.Create(Google.Protobuf.MessageExtensions.ToByteArray, Empty.Parser.ParseFrom);
        try
        {
            if (method.IsServerStreaming)
            {
                using var call = invoker.AsyncServerStreamingCall(new Method<Empty, Empty>(MethodType.ServerStreaming, method.Service.FullName, method.Name, empty, empty), null, options, new Empty());
                while (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                }
            }
            else
            {
                await invoker.AsyncUnaryCall(new Method<Empty, Empty>(MethodType.Unary, method.Service.FullName, method.Name, empty, empty), null, options, new Empty()).ResponseAsync;
            }

            return (StatusCode.OK, null);
        }
        catch (RpcException ex)
        {
            return (ex.StatusCode, ex.GetDetail<ErrorInfo>()?.Reason);
        }
    }

    private static bool IsGateRefusal((StatusCode Code, string? Reason) status)
        => status.Code is StatusCode.Unauthenticated or StatusCode.PermissionDenied && status.Reason is { } reason && GateReasons.Contains(reason);
}
