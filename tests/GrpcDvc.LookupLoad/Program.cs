using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.LookupLoad;

// Drives one of the benchmarks' calls at 1, 16, 64 … concurrent callers, each calling back to back for
// a fixed time, and prints one line per level: callers, calls, calls/s, p50/p99 ms, failures by status.
//   --mode lookup    LookupCitizen of random ID numbers from --ids
//   --mode search    SearchCitizens of random "name<TAB>birth year" lines from --names, first page
//   --mode dossiers  SubmitDossier by citizens from --citizens (each caller signed in as its own
//                    citizen), then the unit's cycle (receive, start, approve, issue, return: five
//                    calls each, counted one by one) on the dossiers just submitted; two tables
//   --mode booking   BookAppointment: --attempts N attempts from the largest --callers level, citizens
//                    from --citizens, sessions from --sessions ("station\tyyyy-mm-dd\tpart" lines);
//                    one line: confirmed places, answers/s, p50/p99 of every answer, refusals by status
//   --mode floor     grpc.health.v1.Health/Check (no database, no sign-in): --attempts N calls from the largest
//                    --callers level, after as many unrecorded; the floor under a booking storm of that shape
//   --mode token     signs the official in (admin credentials as below) and prints the access token, so a
//                    script can run the driver once per level with --token (a TOTP code works only once)
// Lookup, search, dossiers and booking (CPU per answer over the whole storm) also take:
//   --cpu-pids server=PID,postgres=PID  extra columns: each process's CPU ms per call (with its children)
//                    over the recorded level, then the driver's own ("driver_cpu_ms")
//   --mark FILE      appends "start N" / "end N" as a recorded level of N callers starts and ends, so a
//                    script can profile exactly that level (the warm-up before it is left out); for
//                    dossiers "start submit N" / "start cycle N"
//   dotnet run -c Release --project tests/GrpcDvc.LookupLoad -- \
//     --target http://127.0.0.1:5080 --ids ids.txt --callers 1,16,64 --seconds 20 \
//     (--token "$ACCESS_TOKEN" | --admin-user U --admin-password P --admin-totp-secret S)
// With the bootstrap administrator's credentials it creates and signs in the official it needs itself.
var options = LoadOptions.Parse(args);
using var channel = GrpcChannel.ForAddress(options.Target);
return options.Mode switch
{
    "dossiers" => await RunDossiersAsync(),
    "booking" => await BookingStorm.RunAsync(channel, options),
    "floor" => await FloorStorm.RunAsync(channel, options),
    "token" => await PrintTokenAsync(),
    _ => await RunPopulationAsync(),
};

async Task<int> PrintTokenAsync()
{
    Console.WriteLine(await OfficialSession.SignInOfficerAsync(channel, options.AdminUser!, options.AdminPassword!, options.AdminTotpSecret!));
    return 0;
}

async Task<int> RunPopulationAsync()
{
    var search = options.Mode == "search";
    var samplesFile = (search ? options.NamesFile : options.IdsFile) ?? throw new ArgumentException(search ? "--names is required." : "--ids is required.");
    var samples = ReadSamples(samplesFile);
    var client = new PopulationService.PopulationServiceClient(channel);
    var token = options.Token ?? await OfficialSession.SignInOfficerAsync(channel, options.AdminUser!, options.AdminPassword!, options.AdminTotpSecret!);
    var call = new CallOptions(new Metadata { { "authorization", $"Bearer {token}" } });

    var cpu = CpuMeter.Parse(options.CpuPids);
    Console.WriteLine("callers\tcalls\tcalls_per_s\tp50_ms\tp99_ms\tfailures" + string.Concat((cpu?.Names ?? []).Select(n => $"\t{n}_cpu_ms")));
    foreach (var callers in options.Callers)
    {
        await RunLevelAsync(callers, options.Warmup, record: false, Once);
        Console.WriteLine(await MeteredLevelAsync(cpu, callers, $"{callers}", Once));
    }

    return 0;

    async Task Once(int worker, Random random, CallSamples results)
    {
        var sample = samples[random.Next(samples.Length)];
        await Timed(results, async () =>
        {
            if (search)
            {
                await client.SearchCitizensAsync(SearchCalls.Request(sample), call);
            }
            else
            {
                await client.LookupCitizenAsync(new LookupCitizenRequest
                {
                    IdNumber = sample,
                    Access = new AccessContext { Purpose = AccessPurpose.IdentityVerification, Reference = "BENCH" },
                }, call);
            }
        });
    }
}

async Task<int> RunDossiersAsync()
{
    var citizens = ReadSamples(options.CitizensFile ?? throw new ArgumentException("--citizens is required.")).Select(SampleCitizen.Parse).ToArray();
    var most = options.Callers.Max();
    if (citizens.Length < most)
    {
        throw new ArgumentException($"--citizens holds {citizens.Length} citizens; {most} callers need as many.");
    }

    var client = new DossierService.DossierServiceClient(channel);
    var tokens = await Task.WhenAll(citizens.Take(most).Select(c => CitizenSessions.SignInAsync(channel, c)));
    var asCitizen = tokens.Select(t => new CallOptions(new Metadata { { "authorization", $"Bearer {t}" } })).ToArray();
    var officialToken = options.Token ?? await OfficialSession.SignInOfficialAsync(
        channel, options.AdminUser!, options.AdminPassword!, options.AdminTotpSecret!, Role.IntakeOfficer, Role.ProcessingOfficer, Role.ApprovingLeader);
    var asOfficial = new CallOptions(new Metadata { { "authorization", $"Bearer {officialToken}" } });
    var submitted = new ConcurrentQueue<(string Code, long Version)>();

    var cpu = CpuMeter.Parse(options.CpuPids);
    var header = "callers\tcalls\tcalls_per_s\tp50_ms\tp99_ms\tfailures" + string.Concat((cpu?.Names ?? []).Select(n => $"\t{n}_cpu_ms"));
    Console.WriteLine("# SubmitDossier");
    Console.WriteLine(header);
    foreach (var callers in options.Callers)
    {
        await RunLevelAsync(callers, options.Warmup, record: false, Submit);
        Console.WriteLine(await MeteredLevelAsync(cpu, callers, $"submit {callers}", Submit));
    }

    Console.WriteLine("# cycle (receive, start processing, approve, issue result, return result; per call)");
    Console.WriteLine(header);
    foreach (var callers in options.Callers)
    {
        Console.WriteLine(await MeteredLevelAsync(cpu, callers, $"cycle {callers}", Cycle));
    }

    return 0;

    async Task Submit(int worker, Random random, CallSamples results)
    {
        var citizen = citizens[worker];
        await Timed(results, async () =>
        {
            var dossier = (await client.SubmitDossierAsync(DossierCalls.Submission(citizen), asCitizen[worker])).Dossier;
            submitted.Enqueue((dossier.Code, dossier.Version));
        });
    }

    async Task Cycle(int worker, Random random, CallSamples results)
    {
        if (!submitted.TryDequeue(out var next))
        {
            throw new InvalidOperationException("The submission phase left too few dossiers for the cycle; raise --seconds of the submissions or lower the cycle's.");
        }

        await DossierCalls.CycleAsync(client, next.Code, next.Version, asOfficial, results);
    }
}

async Task<LevelResult> RunLevelAsync(int callers, TimeSpan duration, bool record, Func<int, Random, CallSamples, Task> once)
{
    var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var started = Stopwatch.GetTimestamp();
    var workers = Enumerable.Range(0, callers).Select(worker => Task.Run(async () =>
    {
        var random = new Random(worker);
        var results = new CallSamples();
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            await once(worker, random, results);
        }

        return results;
    })).ToArray();
    var all = await Task.WhenAll(workers);
    var elapsed = Stopwatch.GetElapsedTime(started);
    return record ? LevelResult.From(callers, elapsed, all) : LevelResult.Empty;
}

// A recorded level between "start NAME" and "end NAME" marks, with each process's CPU per call when metered.
async Task<string> MeteredLevelAsync(CpuMeter? cpu, int callers, string name, Func<int, Random, CallSamples, Task> once)
{
    Mark($"start {name}");
    var before = cpu?.Read();
    var level = await RunLevelAsync(callers, options.Duration, record: true, once);
    var after = cpu?.Read();
    Mark($"end {name}");
    return cpu is null ? level.ToString() : $"{level}\t{CpuMeter.PerCall(before!, after!, level.Calls)}";
}

void Mark(string line)
{
    if (options.MarkFile is { } file)
    {
        File.AppendAllText(file, line + "\n");
    }
}

static async Task Timed(CallSamples results, Func<Task> call)
{
    var before = Stopwatch.GetTimestamp();
    try
    {
        await call();
        results.Succeeded(Stopwatch.GetTimestamp() - before);
    }
    catch (RpcException ex)
    {
        results.Failed(ex.StatusCode);
    }
}

static string[] ReadSamples(string file)
{
    var lines = File.ReadAllLines(file).Where(line => line.Length > 0).ToArray();
    return lines.Length > 0 ? lines : throw new ArgumentException($"no samples in {file}");
}
