using GrpcDvc.Contracts.Calendar.V1;
using GrpcDvc.Contracts.Common.V1;
using ProtoDate = GrpcDvc.Contracts.Common.V1.Date;
using ProtoDayKind = GrpcDvc.Contracts.Calendar.V1.DayKind;

namespace GrpcDvc.Server.Calendar;

/// <summary>Domain calendar types to their messages.</summary>
public static class CalendarMapping
{
    public static ProtoDate ToMessage(DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };

    public static CalendarEntry ToMessage(CalendarDay day) => new()
    {
        Date = ToMessage(day.Date),
        Kind = day.Kind == DayKind.WorkingDay ? ProtoDayKind.WorkingDay : ProtoDayKind.Holiday,
        Name = new LocalizedText { Vi = day.NameVi, En = day.NameEn },
        Source = day.Source,
    };
}
