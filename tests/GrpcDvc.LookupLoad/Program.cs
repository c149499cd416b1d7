using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.LookupLoad;

// Drives LookupCitizen (--mode lookup, random ID numbers from --ids) or SearchCitizens (--mode search,
// random "name<TAB>birth year" lines from --names, first page) at 1, 16, 64 … concurrent callers, each
// calling back to back for a fixed time, and prints one line per level: callers, calls, calls/s,
// p50/p99 ms, failures by status.
//   dotnet run -c Release --project tests/GrpcDvc.LookupLoad -- \
//     --target http://127.0.0.1:5080 --ids ids.txt --callers 1,16,64 --seconds 20 \
//     (--token "$ACCESS_TOKEN" | --admin-user U --admin-password P --admin-totp-secret S)
// With the bootstrap administrator's credentials it creates and signs in a processing officer itself.
var options = LoadOptions.Parse(args);
var search = options.Mode == "search";
var samplesFile = (search ? options.NamesFile : options.IdsFile) ?? throw new ArgumentException(search ? "--names is required." : "--ids is required.");
var ids = File.ReadAllLines(samplesFile).Where(line => line.Length > 0).ToArray();
if (ids.Length == 0)
{
    Console.Error.WriteLine($"no samples in {samplesFile}");
    return 2;
}

using var channel = GrpcChannel.ForAddress(options.Target);
var client = new PopulationService.PopulationServiceClient(channel);
var token = options.Token ?? await OfficialSession.SignInOfficerAsync(channel, options.AdminUser!, options.AdminPassword!, options.AdminTotpSecret!);
var headers = new Metadata { { "authorization", $"Bearer {token}" } };

Console.WriteLine("callers\tcalls\tcalls_per_s\tp50_ms\tp99_ms\tfailures");
foreach (var callers in options.Callers)
{
    await RunLevelAsync(callers, options.Warmup, record: false);
    var result = await RunLevelAsync(callers, options.Duration, record: true);
    Console.WriteLine(result.ToString());
}

return 0;

async Task<LevelResult> RunLevelAsync(int callers, TimeSpan duration, bool record)
{
    var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var started = Stopwatch.GetTimestamp();
    var workers = Enumerable.Range(0, callers).Select(worker => Task.Run(async () =>
    {
        var random = new Random(worker);
        var samples = new CallSamples();
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            var sample = ids[random.Next(ids.Length)];
            var before = Stopwatch.GetTimestamp();
            try
            {
                if (search)
                {
                    await client.SearchCitizensAsync(SearchCalls.Request(sample), new CallOptions(headers));
                }
                else
                {
                    await client.LookupCitizenAsync(new LookupCitizenRequest
                    {
                        IdNumber = sample,
                        Access = new AccessContext { Purpose = AccessPurpose.IdentityVerification, Reference = "BENCH" },
                    }, new CallOptions(headers));
                }

                samples.Succeeded(Stopwatch.GetTimestamp() - before);
            }
            catch (RpcException ex)
            {
                samples.Failed(ex.StatusCode);
            }
        }

        return samples;
    })).ToArray();
    var all = await Task.WhenAll(workers);
    var elapsed = Stopwatch.GetElapsedTime(started);
    return record ? LevelResult.From(callers, elapsed, all) : LevelResult.Empty;
}
