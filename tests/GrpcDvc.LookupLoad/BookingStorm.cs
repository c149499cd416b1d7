using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Appointments.V1;
using ProtoDate = GrpcDvc.Contracts.Common.V1.Date;

namespace GrpcDvc.LookupLoad;

/// <summary>
/// A booking storm: a fixed number of BookAppointment attempts from N concurrent callers, each caller a
/// signed-in citizen booking one of the six level-3 procedures at a time (a citizen holds at most one
/// appointment per procedure, so a caller whose booking succeeded goes on as the next citizen-procedure
/// pair). A caller told a session is full moves to a session the refusal offers (OpenSessions), as a
/// portal would, else to a random one; told the server is busy (UNAVAILABLE, BOOKING_BUSY) it retries
/// the same request after the hint. Every answer is timed.
/// </summary>
internal static class BookingStorm
{
    private static readonly string[] Procedures = ["BCA-L3-01", "BCA-L3-02", "BCA-L3-03", "BCA-L3-04", "BCA-L3-05", "BCA-L3-06"];

    public static async Task<int> RunAsync(GrpcChannel channel, LoadOptions options)
    {
        var sessions = File.ReadAllLines(options.SessionsFile ?? throw new ArgumentException("--sessions is required."))
            .Where(l => l.Length > 0).Select(Session.Parse).ToArray();
        var citizens = File.ReadAllLines(options.CitizensFile ?? throw new ArgumentException("--citizens is required."))
            .Where(l => l.Length > 0).Select(SampleCitizen.Parse).ToArray();
        var callers = options.Callers.Max();
        var tokens = new string[citizens.Length];
        using (var signIns = new SemaphoreSlim(32))
        {
            await Task.WhenAll(citizens.Select(async (c, i) =>
            {
                await signIns.WaitAsync();
                try
                {
                    tokens[i] = await CitizenSessions.SignInAsync(channel, c);
                }
                finally
                {
                    signIns.Release();
                }
            }));
        }

        var client = new AppointmentService.AppointmentServiceClient(channel);
        var attempts = options.Attempts;
        var left = attempts;
        var nextPair = callers - 1;
        var confirmed = 0;
        var pairsExhausted = 0;
        var cpu = CpuMeter.Parse(options.CpuPids);
        var cpuBefore = cpu?.Read();
        if (options.MarkFile is { } mark)
        {
            // After the sign-ins: a profile of the storm sees bookings only.
            File.AppendAllText(mark, "start storm\n");
        }

        var started = Stopwatch.GetTimestamp();
        var samples = await Task.WhenAll(Enumerable.Range(0, callers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            var results = new CallSamples();
            var shape = new List<StormAnswer>(capacity: attempts / callers + 16);
            var pair = worker;
            var session = sessions[random.Next(sessions.Length)];
            string? requestId = null;
            while (Interlocked.Decrement(ref left) >= 0)
            {
                if (pair / Procedures.Length >= citizens.Length)
                {
                    Interlocked.Increment(ref pairsExhausted);
                    break;
                }

                requestId ??= Guid.NewGuid().ToString();
                var request = new BookAppointmentRequest
                {
                    RequestId = requestId, StationId = session.StationId, Date = session.Date, Part = session.Part,
                    ProcedureCode = Procedures[pair % Procedures.Length],
                };
                var call = new CallOptions(new Metadata { { "authorization", $"Bearer {tokens[pair / Procedures.Length]}" } }, deadline: DateTime.UtcNow.AddSeconds(30));
                var before = Stopwatch.GetTimestamp();
                try
                {
                    await client.BookAppointmentAsync(request, call);
                    var answered = Stopwatch.GetTimestamp();
                    results.Succeeded(answered - before);
                    shape.Add(new StormAnswer(answered - started, answered - before, Placed: true));
                    Interlocked.Increment(ref confirmed);
                    pair = Interlocked.Increment(ref nextPair);
                    requestId = null;
                }
                catch (RpcException e)
                {
                    var answered = Stopwatch.GetTimestamp();
                    results.Answered(answered - before, e.StatusCode);
                    shape.Add(new StormAnswer(answered - started, answered - before, Placed: false));
                    switch (e.StatusCode)
                    {
                        case StatusCode.ResourceExhausted:
                            var offered = e.GetDetail<OpenSessions>()?.Slots;
                            session = offered is { Count: > 0 } ? Session.Of(offered[random.Next(offered.Count)]) : sessions[random.Next(sessions.Length)];
                            requestId = null;
                            break;
                        case StatusCode.Unavailable when e.GetRetryInfo() is { } retry:
                            await Task.Delay(retry.RetryDelay.ToTimeSpan());
                            break;
                        default:
                            requestId = null;
                            break;
                    }
                }
            }

            return (results, shape);
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpuAfter = cpu?.Read();
        var all = LevelResult.From(callers, elapsed, [.. samples.Select(s => s.results)]);
        foreach (var line in StormShape.Describe(samples.SelectMany(s => s.shape)))
        {
            Console.WriteLine(line);
        }

        Console.WriteLine("callers\tattempts\tconfirmed\tanswers_per_s\tp50_ms\tp99_ms\tseconds\trefusals"
            + string.Concat((cpu?.Names ?? []).Select(n => $"\t{n}_cpu_ms")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{callers}\t{attempts}\t{confirmed}\t{all.CallsPerSecond:F0}\t{all.P50Ms:F2}\t{all.P99Ms:F2}\t{elapsed.TotalSeconds:F1}\t{all.Failures}")
            + (cpu is null ? "" : $"\t{CpuMeter.PerCall(cpuBefore!, cpuAfter!, all.Calls)}"));
        if (pairsExhausted > 0)
        {
            Console.Error.WriteLine($"booking: {pairsExhausted} callers ran out of citizen-procedure pairs; give more citizens.");
        }

        return 0;
    }

    /// <summary>A session to book, from one line "station id\tyyyy-mm-dd\tpart number".</summary>
    private sealed record Session(string StationId, ProtoDate Date, SessionPart Part)
    {
        public static Session Parse(string line)
        {
            var parts = line.Split('\t');
            var date = DateOnly.ParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            return new(parts[0], new ProtoDate { Year = date.Year, Month = date.Month, Day = date.Day },
                (SessionPart)int.Parse(parts[2], CultureInfo.InvariantCulture));
        }

        public static Session Of(SessionSlot slot) => new(slot.StationId, slot.Date, slot.Part);
    }
}
