using GrpcDvc.Contracts.Audit.V1;
using GrpcDvc.Contracts.Catalog.V1;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Contracts.Population.V1;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Client;

/// <summary>Registers the typed GrpcDvc clients with Grpc.Net.ClientFactory (one pooled HTTP/2 handler for all).</summary>
public static class DvcClientRegistration
{
    /// <summary>
    /// Adds CatalogService, IdentityService, PopulationService and AuditService clients to
    /// <paramref name="address"/>. When an <see cref="IAccessTokenSource"/> is registered, every call carries its token.
    /// </summary>
    public static IServiceCollection AddDvcClients(this IServiceCollection services, Uri address, Action<DvcChannelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(address);
        var options = new DvcChannelOptions();
        configure?.Invoke(options);
        Add<CatalogService.CatalogServiceClient>(services, address, options);
        Add<IdentityService.IdentityServiceClient>(services, address, options);
        Add<PopulationService.PopulationServiceClient>(services, address, options);
        Add<AuditService.AuditServiceClient>(services, address, options);
        return services;
    }

    private static void Add<TClient>(IServiceCollection services, Uri address, DvcChannelOptions options)
        where TClient : class
    {
        var builder = services
            .AddGrpcClient<TClient>(client =>
            {
                client.Address = address;
                client.ChannelOptionsActions.Add(channel =>
                {
                    channel.MaxReceiveMessageSize = options.MaxReceiveMessageSize;
                    channel.MaxSendMessageSize = options.MaxSendMessageSize;
                    channel.UnsafeUseInsecureChannelCallCredentials = address.Scheme == Uri.UriSchemeHttp && options.AllowTokensWithoutTls;
                });
            })
            .ConfigurePrimaryHttpMessageHandler(() => DvcChannel.CreateHandler(options));
        builder.AddCallCredentials(async (context, metadata, provider) =>
        {
            if (provider.GetService<IAccessTokenSource>() is { } tokens
                && await tokens.GetAccessTokenAsync(context.CancellationToken).ConfigureAwait(false) is { Length: > 0 } token)
            {
                metadata.Add("authorization", $"Bearer {token}");
            }
        });
    }
}
