using System.Diagnostics.CodeAnalysis;

namespace GrpcDvc.Tests.Faults;

/// <summary>
/// Fault tests measure latencies against deadlines: they run alone, after the parallel collections,
/// so another test's build-up of load on the 2 cores does not pass for the server hanging.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
[SuppressMessage(
    "Naming",
    "CA1711:Identifiers should not have incorrect suffix",
    Justification = "xunit collection definitions are conventionally named *Collection.")]
public sealed class FaultCollection
{
    public const string Name = "Faults";
}
