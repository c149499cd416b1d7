namespace GrpcDvc.Server.Population.Registry;

/// <summary>
/// The fee for extracting information from the population database (Circular 75/2022/TT-BTC):
/// 1,000 VND per data field; free for a citizen's own data and for state bodies.
/// </summary>
public static class ExtractionFee
{
    public const long PerFieldVnd = 1_000;

    /// <param name="fieldCount">How many fields the reply carries.</param>
    /// <param name="ownData">The requester is the subject.</param>
    /// <param name="stateBody">The requester acts for a state body (an official).</param>
    public static long Vnd(int fieldCount, bool ownData, bool stateBody)
        => ownData || stateBody ? 0 : fieldCount * PerFieldVnd;
}
