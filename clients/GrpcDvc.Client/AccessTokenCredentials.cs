using Grpc.Core;

namespace GrpcDvc.Client;

/// <summary>Call credentials that put "authorization: Bearer &lt;access token&gt;" on each call.</summary>
public static class AccessTokenCredentials
{
    /// <summary>
    /// Asks <paramref name="tokens"/> for a token before each call, so a refreshed token is used as soon as
    /// there is one. A source with no token (signed out) sends the call without one.
    /// </summary>
    public static CallCredentials From(IAccessTokenSource tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return CallCredentials.FromInterceptor(async (context, metadata) =>
        {
            var token = await tokens.GetAccessTokenAsync(context.CancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(token))
            {
                metadata.Add("authorization", $"Bearer {token}");
            }
        });
    }
}

/// <summary>Where call credentials get the current access token (a signed-in session, a fixed token in tests).</summary>
public interface IAccessTokenSource
{
    /// <summary>The token to send now, refreshed if it is about to expire; null when signed out.</summary>
    ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken);
}
