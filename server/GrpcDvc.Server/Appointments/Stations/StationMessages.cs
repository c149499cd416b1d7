using Google.Protobuf.WellKnownTypes;
using GrpcDvc.Contracts.Appointments.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Server.Calendar;

namespace GrpcDvc.Server.Appointments.Stations;

/// <summary>A station as stored with what its message shows besides the row.</summary>
public sealed record StationView(StationRecord Station, string UnitName, IReadOnlyList<string> ProcedureCodes, IReadOnlyList<TemplateSlot> Template);

/// <summary>Stations to their messages.</summary>
public static class StationMessages
{
    public static Station ToMessage(StationView view)
    {
        var s = view.Station;
        var message = new Station
        {
            StationId = s.Id,
            Name = s.Name,
            Kind = s.Kind == StationKinds.Mobile ? StationKind.Mobile : StationKind.Fixed,
            UnitCode = s.UnitCode,
            UnitName = view.UnitName,
            CommuneCode = s.CommuneCode,
            Address = s.Address,
            ProcedureCodes = { view.ProcedureCodes.Order(StringComparer.Ordinal) },
            BookingWindowDays = s.BookingWindowDays,
            ReleaseTime = StationRules.Clock(s.ReleaseMinute),
            VisitFrom = s.VisitFrom is { } from ? CalendarMapping.ToMessage(from) : null,
            VisitTo = s.VisitTo is { } to ? CalendarMapping.ToMessage(to) : null,
            Accepting = s.Accepting,
            Template = new WeeklyTemplate(),
            Version = s.Version,
            UpdatedAt = Timestamp.FromDateTimeOffset(s.UpdatedAt),
        };
        foreach (var slot in view.Template.OrderBy(t => t.Weekday).ThenBy(t => t.Part))
        {
            message.Template.Sessions.Add(new TemplateSession
            {
                Weekday = (Weekday)slot.Weekday,
                Part = (SessionPart)slot.Part,
                StartTime = StationRules.Clock(slot.StartMinute),
                EndTime = StationRules.Clock(slot.EndMinute),
                Capacity = slot.Capacity,
            });
        }

        return message;
    }

    /// <summary>"sáng 25/11/2026": how an SMS names a session.</summary>
    public static string SessionName(DateOnly date, int part)
        => $"{PartName(part)} {date.Day:D2}/{date.Month:D2}/{date.Year}";

    public static string PartName(int part) => part switch
    {
        (int)SessionPart.Morning => "sáng",
        (int)SessionPart.Afternoon => "chiều",
        (int)SessionPart.Evening => "tối",
        _ => "cả ngày",
    };
}
