using System.Data.Common;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Identity.Grpc;

public abstract partial class IdentityServiceTests
{
    [Fact]
    public async Task SmsOutbox_AfterRegistrationStarts_HoldsNoCleartextCode_AndTheDevelopmentReaderStillShowsIt()
    {
        await StartAsync();
        var code = await LatestOtpAsync(Phone);

        // Every column of every outbox row, as a database dump would show it.
        var cells = await RawOutboxCellsAsync();

        Assert.NotEmpty(cells);
        Assert.DoesNotContain(cells, cell => cell.Contains(code, StringComparison.Ordinal));
        Assert.DoesNotContain(cells, cell => cell.Contains("OTP", StringComparison.Ordinal));
    }

    private async Task<List<string>> RawOutboxCellsAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM sms_outbox";
            await using DbDataReader reader = await command.ExecuteReaderAsync();
            var cells = new List<string>();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    cells.Add(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "");
                }
            }

            return cells;
        }
        finally
        {
            await connection.CloseAsync();
        }
    }
}
