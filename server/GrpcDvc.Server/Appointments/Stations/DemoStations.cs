using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Appointments.Stations;

/// <summary>
/// Two demo stations in the demo citizen's commune, so the demo can book a level-3 identity card out of the box: a
/// fixed office of Hà Nội's police (P34-01, the demo officials' unit, so demo.station manages them) and a mobile team
/// visiting the commune on Tuesdays and Thursdays. Made only where the demo population is (its first citizen is in
/// the registry), each through the ordinary create path under a fixed request id, so a second start finds them and
/// changes nothing.
/// </summary>
public static partial class DemoStations
{
    /// <summary>The demo citizen of the README (Nguyễn Anh Anh), whose commune the stations serve.</summary>
    public const string DemoCitizenIdNumber = "001096977891";

    public const string UnitCode = "P34-01";
    public const string FixedId = "DEMO-TRAM-01";
    public const string MobileId = "DEMO-LUUDONG-01";

    private static readonly string[] Procedures = ["BCA-L3-01", "BCA-L3-02", "BCA-L3-03", "BCA-L3-04", "BCA-L3-05", "BCA-L3-06"];

    /// <summary>The mobile team visits on Tuesdays and Thursdays.</summary>
    private static readonly int[] MobileWeekdays = [2, 4];

    public static async Task<int> SeedAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<DvcDbContext>();
        var citizen = await db.Set<CitizenRow>().AsNoTracking().FirstOrDefaultAsync(c => c.IdNumber == DemoCitizenIdNumber, cancellationToken);
        var unit = await db.Set<AdministrativeUnitRow>().AsNoTracking().FirstOrDefaultAsync(u => u.Code == UnitCode && u.ValidTo == null, cancellationToken);
        if (citizen is null || unit is null
            || await db.Set<AdministrativeUnitRow>().AsNoTracking().FirstOrDefaultAsync(u => u.Id == citizen.CurrentUnitId, cancellationToken) is not { } commune)
        {
            return 0;
        }

        var directory = services.GetRequiredService<StationDirectory>();
        var today = VietnamTime.DateOf(services.GetRequiredService<TimeProvider>().GetUtcNow());
        var procedures = await db.Procedures().AsNoTracking().Where(p => Procedures.Contains(p.Code)).Select(p => p.Code).ToListAsync(cancellationToken);
        var made = 0;
        if (await directory.FindAsync(FixedId, cancellationToken) is null)
        {
            var draft = new StationDraft(FixedId, $"Trạm thu nhận căn cước {commune.Name}", StationKinds.Fixed, unit.Code, commune.Code,
                $"Trụ sở Công an {commune.Name}", procedures, BookingWindowDays: 14, ReleaseMinute: 0, null, null, Accepting: true);
            IReadOnlyList<TemplateSlot> template =
            [
                .. Enumerable.Range(1, 5).SelectMany(d => new[] { new TemplateSlot(d, 1, 450, 690, 60), new TemplateSlot(d, 2, 810, 1020, 50) }),
                new TemplateSlot(6, 1, 450, 690, 30),
            ];
            await directory.CreateAsync($"demo-seed-{FixedId}", draft, unit, commune, template, cancellationToken);
            made++;
        }

        if (await directory.FindAsync(MobileId, cancellationToken) is null)
        {
            var draft = new StationDraft(MobileId, $"Tổ cấp căn cước lưu động {commune.Name}", StationKinds.Mobile, unit.Code, commune.Code,
                $"Nhà văn hóa {commune.Name}", procedures, BookingWindowDays: 7, ReleaseMinute: 8 * 60, today, today.AddDays(365), Accepting: true);
            IReadOnlyList<TemplateSlot> template = [.. MobileWeekdays.SelectMany(d => new[] { new TemplateSlot(d, 1, 480, 690, 40), new TemplateSlot(d, 2, 810, 990, 40) })];
            await directory.CreateAsync($"demo-seed-{MobileId}", draft, unit, commune, template, cancellationToken);
            made++;
        }

        if (made > 0)
        {
            LogSeeded(logger, made, commune.Code);
        }

        return made;
    }

    [LoggerMessage(EventId = 1802, Level = LogLevel.Information, Message = "Demo: {Count} demo stations made in commune {Commune}.")]
    private static partial void LogSeeded(ILogger logger, int count, string commune);
}
