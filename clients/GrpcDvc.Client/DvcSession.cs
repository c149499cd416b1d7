using Grpc.Core;
using GrpcDvc.Contracts.Identity.V1;

namespace GrpcDvc.Client;

/// <summary>
/// A signed-in session: holds the access and refresh tokens of a <see cref="TokenResponse"/> and rotates
/// them through <c>RefreshTokens</c> shortly before the access token expires. Safe to share between calls:
/// concurrent callers wait for one refresh.
/// </summary>
public sealed class DvcSession : IAccessTokenSource, IDisposable
{
    private readonly IdentityService.IdentityServiceClient _identity;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private TokenResponse? _tokens;

    /// <param name="identity">A client on a channel WITHOUT this session's credentials (refreshing needs no token).</param>
    public DvcSession(IdentityService.IdentityServiceClient identity, TokenResponse? tokens = null, TimeProvider? time = null)
    {
        _identity = identity ?? throw new ArgumentNullException(nameof(identity));
        _tokens = tokens;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How long before expiry a token is refreshed (default 30 s, so a call never leaves with a token about to lapse).</summary>
    public TimeSpan RefreshMargin { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The tokens now held; null when signed out.</summary>
    public TokenResponse? Tokens => Volatile.Read(ref _tokens);

    /// <summary>Raised after each sign-in or refresh, e.g. to save the session for the next run of a tool.</summary>
    public event Action<TokenResponse>? TokensChanged;

    /// <summary>Replaces the held tokens with the answer of a sign-in rpc.</summary>
    public void Accept(TokenResponse tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        Volatile.Write(ref _tokens, tokens);
        TokensChanged?.Invoke(tokens);
    }

    public async ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var tokens = Tokens;
        if (tokens is null || !IsDue(tokens))
        {
            return tokens?.AccessToken;
        }

        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            tokens = Tokens;
            if (tokens is not null && IsDue(tokens) && tokens.RefreshToken.Length > 0)
            {
                var refreshed = await _identity.RefreshTokensAsync(
                    new RefreshTokensRequest { RefreshToken = tokens.RefreshToken }, cancellationToken: cancellationToken).ConfigureAwait(false);
                Accept(refreshed);
                tokens = refreshed;
            }

            return tokens?.AccessToken;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>Ends the session on the server (its refresh token stops working) and forgets the tokens.</summary>
    public async Task SignOutAsync(CancellationToken cancellationToken = default)
    {
        var tokens = Interlocked.Exchange(ref _tokens, null);
        if (tokens is { RefreshToken.Length: > 0 })
        {
            await _identity.SignOutAsync(new SignOutRequest { RefreshToken = tokens.RefreshToken }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Call credentials backed by this session.</summary>
    public CallCredentials ToCallCredentials() => AccessTokenCredentials.From(this);

    public void Dispose() => _refreshing.Dispose();

    private bool IsDue(TokenResponse tokens)
        => tokens.AccessTokenExpiresAt is { } expires && expires.ToDateTimeOffset() - RefreshMargin <= _time.GetUtcNow();
}
