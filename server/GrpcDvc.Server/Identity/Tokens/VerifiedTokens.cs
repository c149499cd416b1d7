using System.Collections.Concurrent;
using GrpcDvc.Server.Access;

namespace GrpcDvc.Server.Identity.Tokens;

/// <summary>
/// Access tokens whose ES256 signature this instance has already checked, by their exact text, with
/// the caller they carry. A portal or an official's desk sends the same token with every call for its
/// whole lifetime, and the signature check was the largest single cost in the server's profile of a
/// lookup. The codec still requires the token's key to be among the ring's validating keys on every
/// call (a key withdrawn from the ring ends its tokens at once) and checks the lifetime every time.
/// </summary>
public sealed class VerifiedTokens
{
    /// <summary>
    /// Tokens remembered at most; when full the memory starts over (a miss costs one signature check).
    /// About 2 KB each with the key: the bound keeps it near 20 MB.
    /// </summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, VerifiedToken> _tokens = new(StringComparer.Ordinal);

    public bool TryGet(string token, out VerifiedToken verified) => _tokens.TryGetValue(token, out verified!);

    public void Remember(string token, VerifiedToken verified)
    {
        if (_tokens.Count >= Capacity)
        {
            _tokens.Clear();
        }

        _tokens[token] = verified;
    }

    public void Forget(string token) => _tokens.TryRemove(token, out _);
}

/// <summary>What a token whose signature checked out says: its key id, its caller and its lifetime.</summary>
public sealed record VerifiedToken(string Kid, CallerIdentity Caller, DateTime ValidFrom, DateTime ValidTo);
