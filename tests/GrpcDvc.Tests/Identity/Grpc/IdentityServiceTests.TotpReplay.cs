using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.SignIn;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace GrpcDvc.Tests.Identity.Grpc;

public abstract partial class IdentityServiceTests
{
    [Fact]
    public async Task OfficialSignIn_SameTotpCodeTwice_SecondIsInvalidCredentials_AndAuditedAsAReplay()
    {
        // One code, computed once: both sign-ins present it, whatever the clock does in between.
        var code = new Totp(Base32Encoding.ToBytes(AdminTotpSecret)).ComputeTotp(DateTime.UtcNow);
        var request = new SignInOfficialRequest { Username = "admin", Password = AdminPassword, TotpCode = code };

        var first = await Identity.SignInOfficialAsync(request);
        var replay = await Assert.ThrowsAsync<RpcException>(() => Identity.SignInOfficialAsync(request).ResponseAsync);

        Assert.NotEmpty(first.AccessToken);
        Assert.Equal((StatusCode.Unauthenticated, IdentityReasons.InvalidCredentials), (replay.StatusCode, replay.GetErrorInfo()?.Reason));
        await using var scope = _server.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<DvcDbContext>().Set<SignInAuditRecord>().AsNoTracking()
            .Where(r => r.Login == "admin" && r.Method == SignInMethods.PasswordAndTotp)
            .OrderBy(r => r.Id)
            .Select(r => new { r.Succeeded, r.Reason })
            .ToListAsync();
        Assert.Equal([new { Succeeded = true, Reason = (string?)null }, new { Succeeded = false, Reason = (string?)IdentityReasons.TotpReplayed }], audit);
    }
}
