using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GrpcDvc.Server.Dossiers.History;

/// <summary>
/// The hash chain of a dossier's history. Each event's hash is SHA-256 over the previous event's
/// hash and this event's content in a fixed, versioned layout (fields in order, each preceded by its
/// length, so no value can be shifted into its neighbour), including the dossier's code and the
/// event's sequence: an event edited, moved to another dossier, reordered or taken out no longer
/// chains. The dossier row keeps the count and the last hash (<see cref="DossierRecord.HistoryHead"/>),
/// which makes a deleted last event visible too. Pure: storage appends and reads, this computes.
/// </summary>
public static class HistoryChain
{
    /// <summary>What the first event chains from.</summary>
    public static readonly string Genesis = new('0', 64);

    private const string LayoutVersion = "dvc.dossier-event.v1";

    public static string HashOf(string dossierCode, DossierEventRecord e)
    {
        var content = new StringBuilder(256);
        Append(content, LayoutVersion);
        Append(content, e.PreviousHash);
        Append(content, dossierCode);
        Append(content, e.Sequence.ToString(CultureInfo.InvariantCulture));
        Append(content, e.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        Append(content, e.Action);
        Append(content, e.FromStatus);
        Append(content, e.ToStatus);
        Append(content, e.ActorId?.ToString("D"));
        Append(content, e.ActorName);
        Append(content, e.ActorRole);
        Append(content, e.UnitCode);
        Append(content, e.Reason);
        Append(content, e.Documents);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content.ToString())));
    }

    /// <summary>Fills in the chain fields of the dossier's next event and moves the dossier's anchor on.</summary>
    public static void Link(DossierRecord dossier, DossierEventRecord next)
    {
        next.DossierId = dossier.Id;
        next.Sequence = dossier.EventCount + 1;
        next.PreviousHash = dossier.HistoryHead;
        next.Hash = HashOf(dossier.Code, next);
        dossier.EventCount = next.Sequence;
        dossier.HistoryHead = next.Hash;
    }

    /// <summary>Checks stored events (in the order read by sequence) against the chain and the dossier's anchor.</summary>
    public static ChainCheck Verify(DossierRecord dossier, IReadOnlyList<DossierEventRecord> events)
    {
        var previous = Genesis;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var expected = i + 1;
            if (e.Sequence != expected)
            {
                return ChainCheck.Broken(i, expected, e.Sequence < expected
                    ? $"sequence {e.Sequence} appears after sequence {e.Sequence}: events are duplicated or reordered"
                    : $"sequence {expected} is missing");
            }

            if (e.PreviousHash != previous)
            {
                return ChainCheck.Broken(i, expected, $"event {expected} does not chain from event {expected - 1}");
            }

            if (HashOf(dossier.Code, e) != e.Hash)
            {
                return ChainCheck.Broken(i, expected, $"event {expected}'s content does not match its hash: it was edited");
            }

            previous = e.Hash;
        }

        if (events.Count != dossier.EventCount || previous != dossier.HistoryHead)
        {
            return ChainCheck.Broken(events.Count, events.Count + 1,
                $"the dossier records {dossier.EventCount} events ending in {Short(dossier.HistoryHead)}, the history has {events.Count} ending in {Short(previous)}: events were deleted or added");
        }

        return new ChainCheck(true, events.Count, 0, null);
    }

    /// <summary>The documents of an event in their stored form (a JSON array, order kept).</summary>
    public static string Documents(IEnumerable<string> names) => JsonSerializer.Serialize(names.ToArray());

    public static IReadOnlyList<string> ReadDocuments(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    private static void Append(StringBuilder content, string? value)
    {
        // Null and empty differ: -1 marks a missing value.
        content.Append(value is null ? "-1" : value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('\n');
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;
}

/// <summary>The outcome of a verification: intact, or the first event (by sequence) where the chain breaks and why.</summary>
public sealed record ChainCheck(bool Intact, long EventsChecked, long FirstBrokenSequence, string? Problem)
{
    internal static ChainCheck Broken(int checkedSoFar, long sequence, string problem) => new(false, checkedSoFar, sequence, problem);
}
