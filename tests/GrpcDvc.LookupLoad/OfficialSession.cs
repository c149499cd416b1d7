using Grpc.Core;
using Grpc.Net.Client;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Identity.V1;
using OtpNet;

namespace GrpcDvc.LookupLoad;

/// <summary>
/// Gets the driver an official's access token the way a real one would: the bootstrap
/// administrator signs in (password + TOTP), creates a processing officer with national scope,
/// and that officer signs in. Nothing is minted behind the server's back.
/// </summary>
internal static class OfficialSession
{
    public static Task<string> SignInOfficerAsync(GrpcChannel channel, string adminUser, string adminPassword, string adminTotpSecret)
        => SignInOfficialAsync(channel, adminUser, adminPassword, adminTotpSecret, Role.ProcessingOfficer);

    /// <summary>An official of national scope holding <paramref name="roles"/> (the dossier cycle needs intake, processing and approval).</summary>
    public static async Task<string> SignInOfficialAsync(GrpcChannel channel, string adminUser, string adminPassword, string adminTotpSecret, params Role[] roles)
    {
        var identity = new IdentityService.IdentityServiceClient(channel);
        var admin = await identity.SignInOfficialAsync(new SignInOfficialRequest
        {
            Username = adminUser,
            Password = adminPassword,
            TotpCode = TotpCode(adminTotpSecret),
        });

        var username = $"bench.{Guid.NewGuid():N}"[..20];
        const string password = "Bench-lookup-2026!";
        var created = await identity.CreateOfficialAsync(
            new CreateOfficialRequest
            {
                ClientRequestId = Guid.NewGuid().ToString(),
                Username = username,
                FullName = "Cán bộ đo tải",
                AgencyCode = "BCA",
                Roles = { roles },
                InitialPassword = password,
            },
            new CallOptions(new Metadata { { "authorization", $"Bearer {admin.AccessToken}" } }));

        var secret = new Uri(created.TotpProvisioningUri).Query.TrimStart('?').Split('&')
            .Select(pair => pair.Split('=', 2))
            .Single(pair => pair[0] == "secret")[1];
        var officer = await identity.SignInOfficialAsync(new SignInOfficialRequest
        {
            Username = username,
            Password = password,
            TotpCode = TotpCode(Uri.UnescapeDataString(secret)),
        });
        return officer.AccessToken;
    }

    // RFC 6238 with the URI's defaults (SHA-1, 6 digits, 30 s), as an authenticator app computes it.
    private static string TotpCode(string base32Secret)
        => new Totp(Base32Encoding.ToBytes(base32Secret)).ComputeTotp(DateTime.UtcNow);
}
