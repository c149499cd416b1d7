using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace GrpcDvc.Server.Appointments.Door;

/// <summary>
/// What the slip's QR code carries: <c>DVC1.&lt;appointment id, 32 hex&gt;.&lt;seal&gt;</c>. The seal is the
/// appointment id protected by ASP.NET Core Data Protection under this class's own purpose (AES-256-CBC with an
/// HMAC-SHA256 over it, keys from the server's shared key ring, so every instance checks what another signed and a
/// retired key still checks the slips it signed). Only the server can make a seal that opens, and it opens only to
/// the id written before it: a made-up payload, an edited id or a seal moved to another id is refused. The id
/// stays readable so a station can type it when a phone screen will not scan.
/// </summary>
public sealed class SlipSignature(IDataProtectionProvider provider)
{
    public const string Prefix = "DVC1";

    /// <summary>Longest payload worth opening (the real ones are about 150 characters).</summary>
    public const int MaxLength = 400;

    // A fixed string: renaming the class must not void the slips already printed.
    private readonly IDataProtector _protector = provider.CreateProtector("GrpcDvc.Appointments", "slip-qr");

    public string Sign(Guid appointmentId)
    {
        var seal = _protector.Protect(appointmentId.ToByteArray());
        return $"{Prefix}.{appointmentId:N}.{Base64Url.EncodeToString(seal)}";
    }

    /// <summary>The appointment id the payload was signed for, or null when it is not a payload this server signed.</summary>
    public Guid? Verify(string payload)
    {
        var text = payload.Trim();
        if (text.Length > MaxLength)
        {
            return null;
        }

        var parts = text.Split('.');
        if (parts.Length != 3 || parts[0] != Prefix || !Guid.TryParseExact(parts[1], "N", out var id))
        {
            return null;
        }

        try
        {
            var opened = _protector.Unprotect(Base64Url.DecodeFromChars(parts[2]));
            return CryptographicOperations.FixedTimeEquals(opened, id.ToByteArray()) ? id : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }
}
