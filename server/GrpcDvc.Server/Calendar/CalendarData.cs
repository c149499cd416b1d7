using System.Text.Json;
using System.Text.Json.Serialization;

namespace GrpcDvc.Server.Calendar;

/// <summary>Calendar/Data/holidays.json: the Labour Code's rules, and the years the government has fixed (SOURCES.md beside it).</summary>
public sealed record CalendarData(IReadOnlyList<HolidayRule> Rules, IReadOnlyList<CalendarYearData> Years)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Calendar", "Data", "holidays.json");

    public static CalendarData Load(string path)
        => JsonSerializer.Deserialize<CalendarData>(File.ReadAllText(path), Json)
           ?? throw new InvalidDataException($"{path} holds no calendar.");
}

public sealed record CalendarYearData(int Year, string Source, IReadOnlyList<CalendarDay> Days);
