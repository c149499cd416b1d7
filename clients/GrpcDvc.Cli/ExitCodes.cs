namespace GrpcDvc.Cli;

/// <summary>What dvc's exit code says, so scripts can tell a typo from a refusal.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Anything unexpected (a bug, a broken session file).</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong: unknown option, bad value, missing argument; nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>The server answered with an error status (or could not be reached): the RpcException's details are printed.</summary>
    public const int ServerError = 3;

    /// <summary>The command needs a signed-in session and there is none for this server.</summary>
    public const int NotSignedIn = 4;
}
