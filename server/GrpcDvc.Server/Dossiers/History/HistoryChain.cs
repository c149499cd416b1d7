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

    // Each thread's content buffer: verifying a long history hashes millions of events, and this keeps
    // them from allocating one builder, one string and one byte array each.
    [ThreadStatic]
    private static byte[]? t_content;

    public static string HashOf(string dossierCode, DossierEventRecord e)
    {
        ReadOnlySpan<string?> fields =
        [
            LayoutVersion, e.PreviousHash, dossierCode, e.Sequence.ToString(CultureInfo.InvariantCulture),
            e.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), e.Action, e.FromStatus, e.ToStatus,
            e.ActorId?.ToString("D"), e.ActorName, e.ActorRole, e.UnitCode, e.Reason, e.Documents,
        ];
        var most = 0;
        foreach (var field in fields)
        {
            most += MaxFieldOverhead + (field is null ? 0 : Encoding.UTF8.GetMaxByteCount(field.Length));
        }

        var content = t_content is { } buffer && buffer.Length >= most ? buffer : t_content = new byte[Math.Max(most, 2048)];
        var length = 0;
        foreach (var field in fields)
        {
            length += Append(content.AsSpan(length), field);
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content.AsSpan(0, length), digest);
        return Convert.ToHexStringLower(digest);
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

    // A length of 11 digits at most, ':' and '\n'.
    private const int MaxFieldOverhead = 16;

    /// <summary>
    /// One field in the layout: its length in UTF-16 units (-1 for a missing value, so null and empty
    /// differ), ':', the value in UTF-8, '\n'. Written straight as bytes; the same bytes as the UTF-8 of
    /// the whole layout built as text.
    /// </summary>
    private static int Append(Span<byte> target, string? value)
    {
        int written;
        if (value is null)
        {
            "-1"u8.CopyTo(target);
            written = 2;
        }
        else
        {
            value.Length.TryFormat(target, out written, default, CultureInfo.InvariantCulture);
        }

        target[written++] = (byte)':';
        if (value is not null)
        {
            written += Encoding.UTF8.GetBytes(value, target[written..]);
        }

        target[written++] = (byte)'\n';
        return written;
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
    public bool Add(DossierEventRecord e) => Check(e, null);

    /// <summary>
    /// Checks a batch of stored events, the next ones in sequence order; false once the chain is broken. Each
    /// event's hash depends only on its own stored fields, so the batch's hashes are computed on every core
    /// at once; the chain is then followed in order.
    /// </summary>
    public bool AddBatch(IReadOnlyList<DossierEventRecord> events)
    {
        var hashes = new string[events.Count];
        if (events.Count >= ParallelFrom)
        {
            Parallel.For(0, events.Count, i => hashes[i] = HistoryChain.HashOf(dossier.Code, events[i]));
        }
        else
        {
            for (var i = 0; i < events.Count; i++)
            {
                hashes[i] = HistoryChain.HashOf(dossier.Code, events[i]);
            }
        }

        for (var i = 0; i < events.Count; i++)
        {
            if (!Check(events[i], hashes[i]))
            {
                return false;
            }
        }

        return true;
    }

    // Below this, splitting the work costs more than it saves.
    private const int ParallelFrom = 512;

    private bool Check(DossierEventRecord e, string? computedHash)
    {
        if (_broken is not null)
        {
            return false;
        }

        var expected = _checked + 1;
        _broken = Problem(e, expected, computedHash);
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

    private ChainCheck? Problem(DossierEventRecord e, long expected, string? computedHash)
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

        if ((computedHash ?? HistoryChain.HashOf(dossier.Code, e)) != e.Hash)
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
