using GrpcDvc.Server.Text;

namespace GrpcDvc.Server.Identity.Registration;

/// <summary>
/// Sends a text message to a mobile number. The production implementation speaks to a carrier or
/// SMS broker; <see cref="SmsOutbox"/> stands in for it in development, tests and the demo.
/// </summary>
public interface ISmsGateway
{
    /// <param name="phone">E.164, as <see cref="MobileNumber.TryNormalize"/> produces.</param>
    Task<SmsSendResult> SendAsync(string phone, string text, CancellationToken cancellationToken);
}

/// <summary>The gateway's answer: accepted with its message id, or refused with the gateway's reason.</summary>
public sealed record SmsSendResult(bool Accepted, string? MessageId, string? Error)
{
    public static SmsSendResult Ok(string messageId) => new(true, messageId, null);

    public static SmsSendResult Refused(string error) => new(false, null, error);
}
