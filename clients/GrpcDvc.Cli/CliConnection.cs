using Grpc.Net.Client;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Audit.V1;
using GrpcDvc.Contracts.Catalog.V1;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Contracts.Population.V1;

namespace GrpcDvc.Cli;

/// <summary>
/// The channels of one dvc run: a plain one for sign-in and token refresh, and one whose calls carry
/// the saved session's access token, refreshed through <see cref="DvcSession"/> when it is about to
/// expire; rotated tokens are saved at once (the old refresh token is spent, and reusing it would end
/// the session).
/// </summary>
public sealed class CliConnection : IDisposable
{
    private readonly GrpcChannel _plain;
    private readonly GrpcChannel _authorized;
    private readonly SessionStore _store;

    public CliConnection(ServerAddress server, SessionStore store)
    {
        ArgumentNullException.ThrowIfNull(server);
        Server = server;
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _plain = DvcChannel.Create(server.Uri);
        // A session saved for another server is not sent here: its tokens mean nothing to this one.
        var saved = store.Load() is { } s && s.Server == server.Uri ? s : null;
        Session = new DvcSession(new IdentityService.IdentityServiceClient(_plain), saved?.Tokens);
        Session.TokensChanged += tokens => _store.Save(new SavedSession(server.Uri, tokens));
        _authorized = DvcChannel.Create(server.Uri, new DvcChannelOptions
        {
            Credentials = Session.ToCallCredentials(),
            AllowTokensWithoutTls = server.AllowTokensWithoutTls,
        });
    }

    public ServerAddress Server { get; }

    public DvcSession Session { get; }

    /// <summary>Who the saved session belongs to, as the server said at sign-in; null when signed out.</summary>
    public Caller? Caller => Session.Tokens?.Caller;

    public IdentityService.IdentityServiceClient Identity => new(_authorized);

    /// <summary>For sign-in: no token is sent, whatever is saved.</summary>
    public IdentityService.IdentityServiceClient AnonymousIdentity => new(_plain);

    public CatalogService.CatalogServiceClient Catalog => new(_authorized);

    public PopulationService.PopulationServiceClient Population => new(_authorized);

    public AuditService.AuditServiceClient Audit => new(_authorized);

    public SessionStore Store => _store;

    public void Dispose()
    {
        Session.Dispose();
        _authorized.Dispose();
        _plain.Dispose();
    }
}
