using GrpcDvc.Server.Identity.Registration;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// The SMS outbox with a test's step run once, right after the next send: the moment between a
/// use case's checks and its save, where a rival request can commit first. No sleeps, no timing.
/// </summary>
public sealed class SteppingSmsGateway(SmsOutbox outbox) : ISmsGateway
{
    private Func<Task>? _step;

    public void AfterNextSend(Func<Task> step) => _step = step;

    public async Task<SmsSendResult> SendAsync(string phone, string text, CancellationToken cancellationToken)
    {
        var result = await outbox.SendAsync(phone, text, cancellationToken);
        if (Interlocked.Exchange(ref _step, null) is { } step)
        {
            await step();
        }

        return result;
    }
}
