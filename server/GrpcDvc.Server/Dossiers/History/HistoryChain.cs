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
        var verifier = new ChainVerifier(dossier);
        foreach (var e in events)
        {
            if (!verifier.Add(e))
            {
                break;
            }
        }

        return verifier.Finish();
    }

    /// <summary>The documents of an event in their stored form (a JSON array, order kept).</summary>
    public static string Documents(IEnumerable<string> names) => JsonSerializer.Serialize(names.ToArray());

    public static IReadOnlyList<string> ReadDocuments(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    private static void Append(StringBuilder content, string? value)
    {
        // Null and empty differ: -1 marks a missing value.
        content.Append(value is null ? "-1" : value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('\n');
    }

    internal static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;
}

/// <summary>
/// <see cref="HistoryChain.Verify"/> one event at a time, so a long history is checked as it is read,
/// batch after batch, in bounded memory. Events come in the order read by sequence; the first break
/// stops the check (<see cref="Add"/> answers false) and <see cref="Finish"/> names it.
/// </summary>
public sealed class ChainVerifier(DossierRecord dossier)
{
    private string _previous = HistoryChain.Genesis;
    private long _checked;
    private ChainCheck? _broken;

    /// <summary>Events checked and found to chain so far.</summary>
    public long Checked => _checked;

    /// <summary>Checks the next stored event; false once the chain is broken (later events are not looked at).</summary>
    public bool Add(DossierEventRecord e)
    {
        if (_broken is not null)
        {
            return false;
        }

        var expected = _checked + 1;
        _broken = Problem(e, expected);
        if (_broken is not null)
        {
            return false;
        }

        _previous = e.Hash;
        _checked = expected;
        return true;
    }

    /// <summary>The outcome: the first break met, else the check of the last event against the dossier's anchor.</summary>
    public ChainCheck Finish()
    {
        if (_broken is not null)
        {
            return _broken;
        }

        if (_checked < dossier.EventCount)
        {
            // The stored history ends early: the events after the last one read were taken out.
            return ChainCheck.Broken(_checked, _checked + 1,
                $"the dossier records {dossier.EventCount} events, the history ends at event {_checked}: event {_checked + 1} and any after it were deleted");
        }

        if (_previous != dossier.HistoryHead)
        {
            // Every event chains, the count is right, yet the last hash is not the one recorded when it was
            // appended: the history was rewritten from its start, or the anchor itself was changed.
            return ChainCheck.Broken(_checked, Math.Max(_checked, 1),
                $"the history ends in {HistoryChain.Short(_previous)}, the dossier records {HistoryChain.Short(dossier.HistoryHead)}: the history was rewritten");
        }

        return new ChainCheck(true, _checked, 0, null);
    }

    private ChainCheck? Problem(DossierEventRecord e, long expected)
    {
        if (e.DossierId != dossier.Id)
        {
            return ChainCheck.Broken(_checked, expected, $"event {e.Sequence} belongs to another dossier");
        }

        if (e.Sequence < expected)
        {
            // Read by sequence, a number already passed can only be a repeated one or one the chain never
            // gives (0, negative): the event itself is the break, under its own number (1 for those below
            // it, since 0 answers "intact").
            return ChainCheck.Broken(_checked, Math.Max(e.Sequence, 1), e.Sequence == expected - 1
                ? $"sequence {e.Sequence} appears twice: an event was duplicated"
                : $"an event numbered {e.Sequence} appears after event {expected - 1}: events are reordered or one was added outside the chain");
        }

        if (e.Sequence > expected)
        {
            return ChainCheck.Broken(_checked, expected, expected > dossier.EventCount
                ? $"event {e.Sequence} is beyond the {dossier.EventCount} events the dossier records: it was added"
                : e.Sequence == expected + 1 ? $"sequence {expected} is missing: it was deleted" : $"sequences {expected} to {e.Sequence - 1} are missing: they were deleted");
        }

        if (expected > dossier.EventCount)
        {
            // A well-chained event past the anchor: appended without going through the dossier.
            return ChainCheck.Broken(_checked, expected, $"event {expected} is beyond the {dossier.EventCount} events the dossier records: it was added");
        }

        if (e.PreviousHash != _previous)
        {
            return ChainCheck.Broken(_checked, expected, expected == 1
                ? "event 1 does not chain from the genesis hash: events were reordered, or it was replaced"
                : $"event {expected} does not chain from event {expected - 1}: events were reordered, or one before it was replaced");
        }

        if (HistoryChain.HashOf(dossier.Code, e) != e.Hash)
        {
            return ChainCheck.Broken(_checked, expected, $"event {expected}'s content does not match its hash: it was edited");
        }

        if (expected == dossier.EventCount && e.Hash != dossier.HistoryHead)
        {
            return ChainCheck.Broken(_checked, expected,
                $"event {expected}, the last the dossier records, ends in {HistoryChain.Short(e.Hash)}, the dossier records {HistoryChain.Short(dossier.HistoryHead)}: the history was rewritten");
        }

        return null;
    }
}

/// <summary>The outcome of a verification: intact, or the first event (by sequence) where the chain breaks and why.</summary>
public sealed record ChainCheck(bool Intact, long EventsChecked, long FirstBrokenSequence, string? Problem)
{
    internal static ChainCheck Broken(long checkedSoFar, long sequence, string problem) => new(false, checkedSoFar, sequence, problem);
}
