using System.Security.Cryptography;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Identity.V1;

namespace GrpcDvc.LookupLoad;

/// <summary>
/// Gets the driver an official's access token the way a real one would: the bootstrap
/// administrator signs in (password + TOTP), creates a processing officer with national scope,
/// and that officer signs in. Nothing is minted behind the server's back.
/// </summary>
internal static class OfficialSession
{
    public static async Task<string> SignInOfficerAsync(GrpcChannel channel, string adminUser, string adminPassword, string adminTotpSecret)
    {
        var identity = new IdentityServiceClient(channel);
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
                Roles = { Role.ProcessingOfficer },
                InitialPassword = password,
            },
            new CallOptions { Headers = new() { { "authorization", $"Bearer {admin.AccessToken}" } } });

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

    /// <summary>RFC 6238 with the authenticator-app defaults: HMAC-SHA1, 30-second steps, 6 digits.</summary>
    private static string TotpCode(string base32Secret)
    {
        var step = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        Span<byte> counter = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, step);
#pragma warning disable CA5350 // RFC 6238 as authenticator apps implement it is HMAC-SHA1; the server checks the same.
        var hash = HMACSHA1.HashData(Base32(base32Secret), counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var value = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (value % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('=').ToUpperInvariant())
        {
            buffer = (buffer << 5) | Alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return [.. bytes];
    }
}
