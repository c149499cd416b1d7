using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.HistoryBench;
using OtpNet;

// History-verification benchmark driver (run by tests/GrpcDvc.Benchmarks/dossiers/verify.sh):
//   load:   dotnet GrpcDvc.HistoryBench.dll load --conn "Host=…" --events 1000000
//           prints "loaded <code> <events> <seconds>"
//   verify: dotnet GrpcDvc.HistoryBench.dll verify --target http://127.0.0.1:PORT --code CODE --runs 3
//             --admin-user U --admin-password P --admin-totp-secret S
//           the bootstrap administrator creates a national auditor, who signs in (password + TOTP) and
//           calls VerifyDossierHistory; prints "run <n> <seconds> <intact> <events_checked>" per run.
//   direct: dotnet GrpcDvc.HistoryBench.dll direct --conn "Host=…" --code CODE [--batch N]
//           the server's HistoryVerification in this process (no gRPC), beside a read of the same batches through EF.
//   hash:   dotnet GrpcDvc.HistoryBench.dll hash --events N      linking and verifying N events in memory (no database).
var values = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i + 1 < args.Length; i += 2)
{
    values[args[i].TrimStart('-')] = args[i + 1];
}

string Arg(string name) => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");

switch (args.FirstOrDefault())
{
    case "load":
        await HistoryLoad.RunAsync(Arg("conn"), long.Parse(Arg("events"), CultureInfo.InvariantCulture));
        return 0;
    case "verify":
        using (var channel = GrpcChannel.ForAddress(Arg("target")))
        {
            var token = await SignInAuditorAsync(channel, Arg("admin-user"), Arg("admin-password"), Arg("admin-totp-secret"));
            var client = new DossierService.DossierServiceClient(channel);
            var options = new CallOptions(new Metadata { { "authorization", $"Bearer {token}" } });
            var runs = int.Parse(values.GetValueOrDefault("runs", "3"), CultureInfo.InvariantCulture);
            for (var run = 1; run <= runs; run++)
            {
                var clock = Stopwatch.StartNew();
                var reply = await client.VerifyDossierHistoryAsync(new VerifyDossierHistoryRequest { Code = Arg("code") }, options.WithDeadline(DateTime.UtcNow.AddMinutes(5)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run\t{run}\t{clock.Elapsed.TotalSeconds:0.000}\t{reply.Intact}\t{reply.EventsChecked}\t{reply.Problem}"));
            }
        }

        return 0;
    case "direct":
        {
            // VerifyAsync in this process on the loaded database: the server's reading and checking without gRPC.
            var options = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<GrpcDvc.Server.Storage.DvcDbContext>();
            Microsoft.EntityFrameworkCore.NpgsqlDbContextOptionsBuilderExtensions.UseNpgsql(options, Arg("conn"));
            Microsoft.EntityFrameworkCore.NamingConventionsExtensions.UseSnakeCaseNamingConvention(options);
            await using var db = new GrpcDvc.Server.Storage.DvcDbContext(options.Options);
            var code = Arg("code");
            var dossier = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(GrpcDvc.Server.Dossiers.DossierTables.Dossiers(db), d => d.Code == code);
            for (var run = 0; run < 3; run++)
            {
                var clock = Stopwatch.StartNew();
                var check = await GrpcDvc.Server.Dossiers.Tracking.HistoryVerification.VerifyAsync(db, dossier, int.Parse(values.GetValueOrDefault("batch", "10000"), CultureInfo.InvariantCulture), CancellationToken.None);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"direct\t{clock.Elapsed.TotalSeconds:0.000}\t{check.Intact}\t{check.EventsChecked}"));
                clock.Restart();
                var id = dossier.Id;
                var after = long.MinValue;
                var rows = 0;
                while (true)
                {
                    var batch = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                        Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsNoTracking(GrpcDvc.Server.Dossiers.DossierTables.DossierEvents(db))
                            .Where(e => e.DossierId == id && e.Sequence > after).OrderBy(e => e.Sequence).Take(10000));
                    rows += batch.Count;
                    if (batch.Count < 10000) break;
                    after = batch[^1].Sequence;
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"read-only\t{clock.Elapsed.TotalSeconds:0.000}\t{rows}"));
            }

            return 0;
        }

    case "hash":
        {
            // The chain's own cost, no database: link then verify N events in memory.
            var n = int.Parse(Arg("events"), CultureInfo.InvariantCulture);
            var dossier = new GrpcDvc.Server.Dossiers.DossierRecord
            {
                Code = "P63-001-251025-9999", ProcedureCode = "", UnitCode = "", ApplicantIdNumber = "", ApplicantName = "", Status = "",
                SubmitRequestId = "", ClockStops = "", Details = "", HistoryHead = GrpcDvc.Server.Dossiers.History.HistoryChain.Genesis,
            };
            var list = new List<GrpcDvc.Server.Dossiers.DossierEventRecord>(n);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < n; i++)
            {
                var e = new GrpcDvc.Server.Dossiers.DossierEventRecord
                {
                    At = DateTimeOffset.UnixEpoch.AddSeconds(i), Action = "receive", FromStatus = "submitted", ToStatus = "received", ActorId = Guid.NewGuid(),
                    ActorName = "Lê Văn Cán Bộ", ActorRole = "processing_officer", UnitCode = "P63-001", Documents = "[]", PreviousHash = "", Hash = "",
                };
                GrpcDvc.Server.Dossiers.History.HistoryChain.Link(dossier, e);
                list.Add(e);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"link\t{n}\t{clock.Elapsed.TotalSeconds:0.000}"));
            clock.Restart();
            var check = GrpcDvc.Server.Dossiers.History.HistoryChain.Verify(dossier, list);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"verify\t{n}\t{clock.Elapsed.TotalSeconds:0.000}\t{check.Intact}"));
            return 0;
        }

    default:
        Console.Error.WriteLine("usage: load --conn C --events N | direct --conn C --code CODE | hash --events N | verify --target URL --code CODE --runs N --admin-user U --admin-password P --admin-totp-secret S");
        return 2;
}

static async Task<string> SignInAuditorAsync(GrpcChannel channel, string adminUser, string adminPassword, string adminTotpSecret)
{
    var identity = new IdentityService.IdentityServiceClient(channel);
    var admin = await identity.SignInOfficialAsync(new SignInOfficialRequest { Username = adminUser, Password = adminPassword, TotpCode = Totp(adminTotpSecret) });
    var username = $"bench.{Guid.NewGuid():N}"[..20];
    const string password = "Bench-verify-2026!";
    var created = await identity.CreateOfficialAsync(
        new CreateOfficialRequest
        {
            ClientRequestId = Guid.NewGuid().ToString(),
            Username = username,
            FullName = "Kiểm toán viên đo tải",
            AgencyCode = "BCA",
            Roles = { Role.Auditor },
            InitialPassword = password,
        },
        new CallOptions(new Metadata { { "authorization", $"Bearer {admin.AccessToken}" } }));
    var secret = new Uri(created.TotpProvisioningUri).Query.TrimStart('?').Split('&').Select(pair => pair.Split('=', 2)).Single(pair => pair[0] == "secret")[1];
    var auditor = await identity.SignInOfficialAsync(new SignInOfficialRequest { Username = username, Password = password, TotpCode = Totp(Uri.UnescapeDataString(secret)) });
    return auditor.AccessToken;
}

// RFC 6238 with the provisioning URI's defaults (SHA-1, 6 digits, 30 s), as an authenticator app computes it.
static string Totp(string base32Secret) => new Totp(Base32Encoding.ToBytes(base32Secret)).ComputeTotp(DateTime.UtcNow);
