using Grpc.Core;

namespace GrpcDvc.Server.Errors;

/// <summary>
/// How an interceptor hands a unary call's outcome on without throwing it again. An interceptor that
/// awaits the rest of the call rethrows its error once more, and grpc-dotnet wraps each interceptor in
/// an await of its own: a refusal (a full session, the commonest answer of a booking storm) was thrown
/// 14 times on its way out, a few microseconds of stack walking each. Here the call's own task travels
/// on untouched, and a replacement error travels as a faulted task, never thrown.
/// </summary>
internal static class UnaryOutcomes
{
    /// <summary>
    /// Runs the rest of the call; when it fails with an error <paramref name="replace"/> has an answer for,
    /// the call fails with that answer instead. A synchronous throw of the rest of the call is its failure.
    /// </summary>
    public static Task<TResponse> Replacing<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation, Func<Exception, ServerCallContext, Exception?> replace)
        where TRequest : class
        where TResponse : class
    {
        Task<TResponse> outcome;
        try
        {
            outcome = continuation(request, context);
        }
        catch (Exception e)
        {
            outcome = Task.FromException<TResponse>(e);
        }

        if (outcome.IsCompletedSuccessfully)
        {
            return outcome;
        }

        if (outcome.IsCompleted)
        {
            return Replaced(outcome, context, replace);
        }

        return outcome.ContinueWith(
            static (done, state) =>
            {
                var (context, replace) = ((ServerCallContext, Func<Exception, ServerCallContext, Exception?>))state!;
                return Replaced(done, context, replace);
            },
            (context, replace), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
    }

    /// <summary>The rest of the call, once <paramref name="first"/> has succeeded; if it fails, so does the call (thrown once).</summary>
    public static Task<TResponse> After<TRequest, TResponse>(
        Task first, TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
        => first.IsCompletedSuccessfully ? continuation(request, context) : AfterAsync(first, request, context, continuation).Unwrap();

    private static async Task<Task<TResponse>> AfterAsync<TRequest, TResponse>(
        Task first, TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        await first;
        return continuation(request, context);
    }

    private static Task<TResponse> Replaced<TResponse>(Task<TResponse> outcome, ServerCallContext context, Func<Exception, ServerCallContext, Exception?> replace)
        => outcome.IsFaulted && outcome.Exception!.InnerException is { } error && replace(error, context) is { } replacement
            ? Task.FromException<TResponse>(replacement)
            : outcome;
}
