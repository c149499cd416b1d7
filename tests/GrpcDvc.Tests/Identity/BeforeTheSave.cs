using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// Stages a rival's step between a use case's read and its save: the step set in <see cref="Next"/> runs
/// once, just before the next save that adds a <typeparamref name="TRecord"/>. The step may save through
/// a context of its own; by then it has been taken, so it does not run again.
/// </summary>
internal sealed class BeforeTheSave<TRecord> : SaveChangesInterceptor
    where TRecord : class
{
    private Func<Task>? _next;

    public Func<Task>? Next
    {
        get => Volatile.Read(ref _next);
        set => Volatile.Write(ref _next, value);
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context!.ChangeTracker.Entries<TRecord>().Any(e => e.State == EntityState.Added)
            && Interlocked.Exchange(ref _next, null) is { } step)
        {
            await step();
        }

        return await base.SavingChangesAsync(eventData, result, cancellationToken);
    }
}
