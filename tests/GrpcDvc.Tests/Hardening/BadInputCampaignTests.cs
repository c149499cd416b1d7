using System.Reflection;
using System.Text;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using HealthClient = Grpc.Health.V1.Health.HealthClient;
using Grpc.Net.Client;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Catalog.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Tests.Access;
using GrpcDvc.Tests.Support;
using Xunit.Abstractions;

namespace GrpcDvc.Tests.Hardening;

/// <summary>
/// Issue 9, bad input: every rpc the server maps (found from its endpoints, so a new rpc is in the
/// campaign without a line here) gets malformed and hostile requests as raw HTTP/2, from an anonymous
/// caller and from callers of the roles its policy allows, so the bytes reach the handlers and not
/// only the gate. Every answer must be a gRPC status with a message, never UNKNOWN, INTERNAL only for
/// a request the framework could not read (framing, or a message that does not parse: gRPC's status
/// table says INTERNAL for "error parsing request protocol buffer"), INVALID_ARGUMENT always with
/// field violations; and the server stays healthy. Seeded, so a failure names an input the next run
/// sends again.
/// </summary>
public sealed class BadInputCampaignTests(ITestOutputHelper output)
{
    private const int Seed = 20261201;
    private const int Parallel = 8;

    /// <summary>Callers of the roles beyond the first each send this many inputs drawn from the full set.</summary>
    private const int SampleForFurtherRoles = 20;

    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(20);

    /// <summary>The statuses grpc-dotnet (and our parse-failure binding) give a request they cannot read: INTERNAL with these messages.</summary>
    private static readonly string[] FrameworkInternalMessages =
    [
        "Incomplete message.",
        "Additional data after the message received.",
        "Request did not include grpc-encoding value with compressed message.",
        "Request sent 'identity' grpc-encoding value with compressed message.",
        "The request message could not be parsed",
        "The request message could not be decompressed",
        "The request's message frame is malformed",
    ];

    private static readonly string[] LimitedRules = ["SignInPerAddress", "SignInPerAccount", "OtpSendPerAddress", "OtpVerifyPerAddress", "LookupPerAddress", "LookupPerAccount"];

    /// <summary>Refusals only the gate gives: an input refused with one of these never reached the handler.</summary>
    private static readonly HashSet<string> GateReasons =
    [
        AccessReasons.AccessTokenMissing, AccessReasons.AuthorizationMalformed, AccessReasons.RoleNotAllowed,
        AccessReasons.NoPolicy, AccessReasons.AgencyUnitMissing, AccessReasons.SessionEnded,
        IdentityReasons.AccessTokenInvalid, IdentityReasons.AccessTokenExpired,
    ];

    [Fact]
    public async Task EveryMappedRpc_HostileInput_AnswersWithAStatusNeverUnknown_AndTheServerStaysHealthy()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var server = await InProcessServer.StartAsync(null, Unlimited());
        var maxMessageSize = new Server.Hosting.GrpcLimitOptions().MaxReceiveMessageSize;
        var methods = server.MappedServices
            .Where(s => !s.FullName.StartsWith("dvc.testing.", StringComparison.Ordinal) && !s.FullName.StartsWith("grpc.testing.", StringComparison.Ordinal))
            .SelectMany(s => s.Methods)
            .ToList();
        var callers = await CallersAsync(server);
        var jobs = new List<Job>();
        foreach (var method in methods)
        {
            jobs.AddRange(JobsFor(method, methods, callers, maxMessageSize));
        }

        using var caller = new RawCaller(server.GrpcAddress, HangLimit);
        var outcomes = await RunAsync(caller, jobs);
        var forged = await ForgedPageTokensAsync(caller, methods, callers);
        jobs.AddRange(forged.Select(f => f.Job));
        outcomes = [.. outcomes, .. forged.Select(f => f.Outcome)];

        var failures = new List<string>();
        var reached = methods.ToDictionary(m => m.FullName, _ => 0, StringComparer.Ordinal);
        var refusedByKestrel = 0;
        for (var i = 0; i < jobs.Count; i++)
        {
            var (job, outcome) = (jobs[i], outcomes[i]);
            if (Check(job, outcome) is { } failure)
            {
                failures.Add($"{job.Method.FullName} as {job.Caller.Name}, {job.Input.Kind} ({job.Input.Body.Length} bytes): {failure}");
            }

            refusedByKestrel += outcome.Status is null && job.Input.PastHeaderLimits ? 1 : 0;
            if (job.Caller.Authorized && ReachedHandler(outcome))
            {
                reached[job.Method.FullName]++;
            }
        }

        var health = await new HealthClient(server.Channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        using var fresh = GrpcChannel.ForAddress(server.GrpcAddress);
        var normal = await new CatalogService.CatalogServiceClient(fresh).GetProcedureAsync(new GetProcedureRequest { Code = "BCA-L4-03" }, deadline: DateTime.UtcNow.AddSeconds(10));

        output.WriteLine($"{jobs.Count} inputs to {methods.Count} rpcs ({callers.Count} callers) in {started.Elapsed.TotalSeconds:0.0} s; forged page tokens: {forged.Count}; refused by Kestrel (headers over the limit): {refusedByKestrel}");
        foreach (var group in outcomes.GroupBy(o => o.Status?.ToString() ?? "no status").OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"  {group.Key,-20} {group.Count(),6}");
        }

        var time = jobs.Zip(outcomes).GroupBy(p => p.First.Method.FullName).ToDictionary(g => g.Key, g => (Calls: g.Count(), Seconds: g.Sum(p => p.Second.Elapsed.TotalSeconds)));
        foreach (var (rpc, count) in reached.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {rpc}: {time[rpc].Calls} inputs ({time[rpc].Seconds:0.0} s of calls), {count} reached the handler as an allowed caller");
        }

        output.WriteLine($"failures: {failures.Count}");
        failures.Take(200).ToList().ForEach(output.WriteLine);

        // Discovery found the contract: every rpc of every dvc service compiled into the contracts is among those mapped and tried.
        Assert.Empty(ContractRpcs().Except(methods.Select(m => m.FullName), StringComparer.Ordinal));
        Assert.Empty(failures);
        Assert.True(reached.All(r => r.Value > 0), $"no input reached the handler of: {string.Join(", ", reached.Where(r => r.Value == 0).Select(r => r.Key))}");
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal("BCA-L4-03", normal.Procedure.Code);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(90), $"the campaign took {started.Elapsed}");
    }

    /// <summary>Null when the outcome keeps the rules; else what is wrong.</summary>
    private static string? Check(Job job, RawOutcome outcome)
    {
        if (outcome.Failure?.StartsWith("HANG", StringComparison.Ordinal) == true)
        {
            return outcome.Failure;
        }

        if (outcome.Status is not { } status)
        {
            // Headers past Kestrel's limits are refused before gRPC with a connection error (PROTOCOL_ERROR, or
            // COMPRESSION_ERROR for one field past the limit), or not sent at all by a client that read the
            // server's SETTINGS_MAX_HEADER_LIST_SIZE: no status can be sent.
            return job.Input.PastHeaderLimits ? null : $"no gRPC status: {outcome}";
        }

        if (status == StatusCode.Unknown)
        {
            return $"UNKNOWN: {outcome}";
        }

        if (status != StatusCode.OK && string.IsNullOrWhiteSpace(outcome.Message))
        {
            return $"{status} without a message";
        }

        if (status == StatusCode.Internal && !IsFrameworkInternal(outcome))
        {
            return $"INTERNAL from our code: {outcome}";
        }

        if (status == StatusCode.InvalidArgument && outcome.BadRequest.Violations.Count == 0)
        {
            return $"INVALID_ARGUMENT without field violations: {outcome}";
        }

        if (job.Input.Kind is "huge-string-past-limit" or "frame-length-past-limit" or "frame-length-2GiB" or "frame-length-4GiB" or "gzip-bomb-64MiB"
            && status != StatusCode.ResourceExhausted && !RefusedByTheGateFirst(job, outcome))
        {
            return $"RESOURCE_EXHAUSTED expected past the message-size limit: {outcome}";
        }

        if (job.Caller.Authorized && job.Input.Kind is BadInput.BadPageToken or BadInput.NegativePageSize)
        {
            var field = job.Input.Kind == BadInput.BadPageToken ? "page_token" : "page_size";
            if (status != StatusCode.InvalidArgument || !outcome.BadRequest.Violations.Any(v => v.Field.EndsWith(field, StringComparison.Ordinal)))
            {
                return $"INVALID_ARGUMENT with a {field} violation expected: {outcome}";
            }
        }

        return null;
    }

    /// <summary>
    /// A client-streaming rpc runs the gate before it reads any message (a unary one reads its message first), so a
    /// caller the policy does not let in is refused by the gate whatever its messages hold. Only the gate's own
    /// refusal to such a caller counts; the allowed callers send the same inputs and must get RESOURCE_EXHAUSTED.
    /// </summary>
    private static bool RefusedByTheGateFirst(Job job, RawOutcome outcome)
        => job.Method.IsClientStreaming && !job.Caller.Authorized
            && outcome.Status is StatusCode.Unauthenticated or StatusCode.PermissionDenied && !ReachedHandler(outcome);

    private static bool IsFrameworkInternal(RawOutcome outcome)
        => outcome.Message is { } message && FrameworkInternalMessages.Any(m => message.StartsWith(m, StringComparison.Ordinal));

    private static bool ReachedHandler(RawOutcome outcome) => outcome.FirstMessage is not null || outcome.Status switch
    {
        null or StatusCode.Internal or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded => false,
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => outcome.Details?.Details
            .Where(a => a.Is(ErrorInfo.Descriptor)).Select(a => a.Unpack<ErrorInfo>().Reason).Any(GateReasons.Contains) != true,
        _ => true,
    };

    private static IEnumerable<Job> JobsFor(MethodDescriptor method, List<MethodDescriptor> all, List<Caller> callers, int maxMessageSize)
    {
        var random = new Random(Seed ^ StableHash(method.FullName));
        var inputs = new BadInputs(method.InputType, random, maxMessageSize);
        var others = all.Where(m => m.InputType != method.InputType).OrderBy(_ => random.Next()).Take(3)
            .Select(m => SeedMessages.Build(m.InputType, random)).ToList();
        var messages = inputs.Messages(others);
        var rule = MethodRule.For(method, new AccessOptions());
        var open = rule.IsInfrastructure || rule.Policy?.Public == true;
        var allowed = callers.Where(c => c.Role is { } r && rule.AllowedRoles.Contains(r)).ToList();
        var anonymous = callers.Single(c => c.Role is null) with { Authorized = open };
        var primary = open ? anonymous : allowed[StableHash(method.FullName) % allowed.Count];

        // The anonymous caller sends everything (on a non-public rpc the gate refuses what parses);
        // the first allowed caller too, plus the expensive inputs; the other roles a sample.
        // A watch given no usable deadline streams for as long as the client listens: not a hang of the server.
        var transport = inputs.Transport().Where(i => !method.IsServerStreaming || i.Headers?.Any(h => h.Key == "grpc-timeout") != true);
        foreach (var input in messages.Concat(transport))
        {
            yield return new Job(method, anonymous, input);
        }

        foreach (var input in inputs.HugeStrings())
        {
            yield return new Job(method, primary, input);
        }

        if (open)
        {
            yield break;
        }

        foreach (var input in messages)
        {
            yield return new Job(method, primary, input);
        }

        if (method.IsClientStreaming)
        {
            // Past the gate, the frames and streams reach the handler: the size limits and the stream rules are its.
            foreach (var input in transport.Concat(new StreamInputs(method.InputType, random).All()))
            {
                yield return new Job(method, primary, input);
            }
        }

        foreach (var other in allowed.Where(c => c != primary))
        {
            foreach (var input in messages.OrderBy(_ => random.Next()).Take(SampleForFurtherRoles))
            {
                yield return new Job(method, other, input);
            }
        }
    }

    /// <summary>
    /// Page tokens with the right filter hash but absurd positions: a real token from a listing
    /// (page size 1), decoded, its position replaced. Only listings that returned a next page give one.
    /// </summary>
    private async Task<List<(Job Job, RawOutcome Outcome)>> ForgedPageTokensAsync(RawCaller caller, List<MethodDescriptor> methods, List<Caller> callers)
    {
        var forged = new List<(Job, RawOutcome)>();
        string[] positions = ["9223372036854775807", "2147483648", "4294967296", "2147483647", "-1", "", "abc", "99999999999999999999999", " 1", "1e9"];
        foreach (var method in methods)
        {
            if (method.InputType.Fields.InFieldNumberOrder().FirstOrDefault(f => IsOf(f, "dvc.common.v1.PageRequest")) is not { } pageField
                || method.OutputType.Fields.InFieldNumberOrder().FirstOrDefault(f => IsOf(f, "dvc.common.v1.PageInfo")) is not { } infoField)
            {
                continue;
            }

            var rule = MethodRule.For(method, new AccessOptions());
            var who = rule.Policy?.Public == true ? callers.Single(c => c.Role is null) with { Authorized = true }
                : callers.First(c => c.Role is { } r && rule.AllowedRoles.Contains(r));
            var random = new Random(Seed ^ StableHash(method.FullName) ^ 1);
            var path = $"/{method.Service.FullName}/{method.Name}";
            // The listing with nothing but the page (and a purpose where one is needed), so it has pages to give.
            var first = Wire.Concat(
                AccessContextOf(method, random),
                Wire.Field(pageField.FieldNumber, Wire.Varint(1, 1)));
            var answer = await caller.PostAsync(path, Wire.Frame(first), who.Headers);
            if (answer.FirstMessage is not { } reply
                || infoField.Accessor.GetValue(method.OutputType.Parser.ParseFrom(reply)) is not Contracts.Common.V1.PageInfo { NextPageToken: { Length: > 0 } token })
            {
                output.WriteLine($"no next page from {method.FullName} ({answer}): no forged tokens");
                continue;
            }

            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/').PadRight(token.Length + ((4 - (token.Length % 4)) % 4), '=')));
            var hash = text[..text.IndexOf(':', StringComparison.Ordinal)];
            foreach (var position in positions)
            {
                var fake = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{hash}:{position}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
                var body = Wire.Concat(first, Wire.Field(pageField.FieldNumber, Wire.Concat(Wire.Varint(1, 1), Wire.Field(2, Encoding.UTF8.GetBytes(fake)))));
                var input = new BadInput("page-token-forged", Wire.Frame(body));
                forged.Add((new Job(method, who, input), await caller.PostAsync(path, input.Body, who.Headers)));
            }
        }

        return forged;
    }

    private static byte[] AccessContextOf(MethodDescriptor method, Random random)
        => method.InputType.Fields.InFieldNumberOrder().FirstOrDefault(f => IsOf(f, "dvc.population.v1.AccessContext")) is { } access
            ? Wire.Field(access.FieldNumber, SeedMessages.Build(access.MessageType, random))
            : [];

    private static bool IsOf(FieldDescriptor field, string messageType) => field.FieldType == FieldType.Message && field.MessageType.FullName == messageType;

    private static async Task<RawOutcome[]> RunAsync(RawCaller caller, List<Job> jobs)
    {
        var outcomes = new RawOutcome[jobs.Count];
        await System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, jobs.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallel }, async (i, _) =>
        {
            var job = jobs[i];
            var headers = new List<KeyValuePair<string, string>>(job.Caller.Headers);
            headers.AddRange(job.Input.Headers ?? []);
            // A watch streams until its deadline: a short one, unless the input brings its own. Long enough
            // for a megabyte upload or a gzip bomb's inflating on a busy machine, though: a deadline that passes
            // before the size limit is hit makes the server answer DEADLINE_EXCEEDED (or reset the stream before
            // any status), which would test the clock, not the server. The bomb is under 64 KiB on the wire.
            if (job.Method.IsServerStreaming && !headers.Any(h => h.Key == "grpc-timeout"))
            {
                var expensive = job.Input.Body.Length > 16 * 1024 || headers.Any(h => h.Key == "grpc-encoding");
                headers.Add(new("grpc-timeout", expensive ? "5S" : "200m"));
            }

            var path = $"/{job.Method.Service.FullName}/{job.Method.Name}";
            if (job.Input.PastHeaderLimits)
            {
                using var alone = new RawCaller(caller.Server, HangLimit);
                outcomes[i] = await alone.PostAsync(path, job.Input.Body, headers);
            }
            else
            {
                outcomes[i] = await caller.PostAsync(path, job.Input.Body, headers);
            }
        });
        return outcomes;
    }

    private static async Task<List<Caller>> CallersAsync(InProcessServer server)
    {
        var callers = new List<Caller> { new("anonymous", null, false, []) };
        callers.Add(Caller.WithToken("citizen", Role.Citizen, await TestCallers.CitizenAsync(server, "001096977891")));
        foreach (var role in RoleNames.OfficialRoles)
        {
            callers.Add(Caller.WithToken(RoleNames.Name(role), role, await TestCallers.OfficialAsync(server, "P34-01", role)));
        }

        return callers;
    }

    /// <summary>Limits that would otherwise turn most inputs away before a handler sees them.</summary>
    private static string[] Unlimited() => [.. LimitedRules.Select(rule => $"--Dvc:Identity:RateLimits:{rule}:Permits=1000000")];

    private static IEnumerable<string> ContractRpcs()
        => typeof(PolicyReflection).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
            .OfType<FileDescriptor>()
            .Where(f => f.Package.StartsWith("dvc.", StringComparison.Ordinal))
            .SelectMany(f => f.Services)
            .SelectMany(s => s.Methods)
            .Select(m => m.FullName);

    // string.GetHashCode differs per process; the campaign must not.
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7FFF_FFFF);
    }

    private sealed record Job(MethodDescriptor Method, Caller Caller, BadInput Input);

    /// <summary>A caller: no token, or a real access token of one role. Authorized: the rpc's policy lets it in.</summary>
    private sealed record Caller(string Name, Role? Role, bool Authorized, IReadOnlyList<KeyValuePair<string, string>> Headers)
    {
        public static Caller WithToken(string name, Role role, string token) => new(name, role, true, [new("authorization", $"Bearer {token}")]);
    }
}
