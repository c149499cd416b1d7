using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace GrpcDvc.Server.Identity;

/// <summary>
/// Instants are <see cref="DateTime"/> in UTC: PostgreSQL stores them as timestamptz and SQLite
/// as sortable text (EF cannot compare DateTimeOffset on SQLite). SQLite hands them back with an
/// unspecified kind; this marks them UTC again on the way in.
/// </summary>
internal static class UtcDateTime
{
    private static readonly ValueConverter<DateTime, DateTime> Converter =
        new(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private static readonly ValueConverter<DateTime?, DateTime?> NullableConverter =
        new(v => v, v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);

    public static PropertyBuilder<DateTime> AsUtc(this PropertyBuilder<DateTime> property) => property.HasConversion(Converter);

    public static PropertyBuilder<DateTime?> AsUtc(this PropertyBuilder<DateTime?> property) => property.HasConversion(NullableConverter);
}
