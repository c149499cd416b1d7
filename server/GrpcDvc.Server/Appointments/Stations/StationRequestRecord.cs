using Google.Protobuf;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrpcDvc.Server.Appointments.Stations;

/// <summary>Who made a change and under which request id.</summary>
public sealed record ChangeKey(Guid Actor, string RequestId);

/// <summary>A station manager's change and its first answer (table station_requests): the key a retry finds.</summary>
public sealed class StationRequestRecord
{
    public Guid ActorId { get; set; }

    public required string RequestId { get; set; }

    /// <summary>The rpc's name: a request id reused for another rpc is refused rather than answered with the wrong message.</summary>
    public required string Rpc { get; set; }

    public required string StationId { get; set; }

    /// <summary>The serialized response message.</summary>
    public required byte[] Response { get; set; }

    public DateTimeOffset At { get; set; }
}

internal sealed class StationRequestMapping : IEntityTypeConfiguration<StationRequestRecord>
{
    public void Configure(EntityTypeBuilder<StationRequestRecord> builder)
    {
        builder.ToTable("station_requests");
        builder.HasKey(r => new { r.ActorId, r.RequestId });
    }
}

/// <summary>Finding and keeping the first answer of a change.</summary>
public static class StationRequests
{
    /// <summary>The first answer of this caller's request id, or null when the request is new.</summary>
    public static async Task<T?> FirstAnswerAsync<T>(DvcDbContext db, ChangeKey key, string rpc, MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        var row = await db.Set<StationRequestRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.ActorId == key.Actor && r.RequestId == key.RequestId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        if (row.Rpc != rpc)
        {
            throw RpcErrors.InvalidArgument("This request id was used for another change.",
                new FieldViolation("request_id", $"Already used for {row.Rpc}; every change needs its own request id.", "REQUEST_ID_REUSED"));
        }

        return parser.ParseFrom(row.Response);
    }

    /// <summary>Adds the answer to the caller's unit of work (saved in the change's transaction).</summary>
    public static void Keep(DvcDbContext db, ChangeKey key, string rpc, string stationId, IMessage answer, DateTimeOffset now)
        => db.Set<StationRequestRecord>().Add(new StationRequestRecord
        {
            ActorId = key.Actor, RequestId = key.RequestId, Rpc = rpc, StationId = stationId, Response = answer.ToByteArray(), At = now,
        });
}
