namespace GrpcDvc.Cli;

/// <summary>Where dvc connects, and whether it may send tokens there.</summary>
public sealed record ServerAddress(Uri Uri, bool AllowTokensWithoutTls)
{
    public const string Default = "http://127.0.0.1:5080";

    /// <summary>
    /// An http:// or https:// address. Over plain http:// (h2c) a token crosses the network readable by
    /// anyone on the path, so it is sent only to a loopback address (the development server on this
    /// machine: the bytes never leave it) or when the user says --insecure (a private network behind a
    /// TLS-terminating balancer). https:// needs neither.
    /// </summary>
    public static ServerAddress? Parse(string text, bool insecure, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            error = $"--server: '{text}' is not an http:// or https:// address.";
            return null;
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return new ServerAddress(uri, AllowTokensWithoutTls: false);
        }

        if (!uri.IsLoopback && !insecure)
        {
            error = $"--server: {uri} is plain http:// to another machine: tokens would cross the network unencrypted. "
                + "Use https://, or add --insecure if the link is trusted.";
            return null;
        }

        return new ServerAddress(uri, AllowTokensWithoutTls: true);
    }
}
