using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace GrpcDvc.Server.Storage;

/// <summary>
/// Stores every instant (<see cref="DateTimeOffset"/>) as UTC milliseconds since 1970 in a
/// 64-bit integer column. SQLite has no time type (and EF cannot compare DateTimeOffset there)
/// and FluentMigrator cannot create one on SQLite, so one portable representation serves both
/// providers with ordering and range queries that run in the database.
/// </summary>
internal sealed class InstantConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.ToUnixTimeMilliseconds(),
    value => DateTimeOffset.FromUnixTimeMilliseconds(value));
