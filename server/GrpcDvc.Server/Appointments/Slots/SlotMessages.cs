using Google.Protobuf.WellKnownTypes;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Server.Calendar;

namespace GrpcDvc.Server.Appointments.Slots;

/// <summary>Sessions to their SessionSlot messages.</summary>
public static class SlotMessages
{
    public static SessionSlot ToMessage(StationSessionRecord session, StationRecord station) => new()
    {
        StationId = station.Id,
        StationName = station.Name,
        Date = CalendarMapping.ToMessage(session.Date),
        Part = (SessionPart)session.Part,
        StartsAt = Timestamp.FromDateTimeOffset(session.StartsAt),
        EndsAt = Timestamp.FromDateTimeOffset(session.EndsAt),
        Capacity = session.Capacity,
        Booked = session.Booked,
        Remaining = Math.Max(0, session.Capacity - session.Booked),
        Closed = session.Closed,
        Address = station.Address,
    };

    public static SessionSlot ToMessage(OpenSlot slot) => ToMessage(slot.Session, slot.Station);
}
