using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers.Attachments;

/// <summary>
/// A submission or a supplement taking up uploaded attachments: only the caller's own, only ones no
/// dossier holds yet, within the per-dossier limits. Runs inside the caller's transaction, so a
/// refused or failed change takes up nothing.
/// </summary>
public static class AttachmentClaims
{
    /// <summary>At most this many attachments on one dossier.</summary>
    public const int MaxPerDossier = 30;

    /// <summary>At most this many bytes on one dossier (the per-file limit is the upload's).</summary>
    public const long MaxBytesPerDossier = 50L * 1024 * 1024;

    /// <summary>
    /// Marks the attachments as the dossier's (one UPDATE: call it inside the change's transaction, which
    /// rolls it back if the change fails) and returns them; a problem with any id is a field violation on
    /// <paramref name="field"/>[i] and nothing is marked. A lost race throws DbUpdateConcurrencyException.
    /// </summary>
    public static async Task<(IReadOnlyList<AttachmentRecord> Claimed, IReadOnlyList<FieldViolation> Problems)> ClaimAsync(
        DvcDbContext db, Guid ownerAccountId, Guid dossierId, IReadOnlyList<string> ids, string field, CancellationToken cancellationToken)
    {
        if (ids.Count > MaxPerDossier)
        {
            // Before any work: a request naming 20,000 ids is refused at once, not after 20,000 look-ups.
            return ([], [new FieldViolation(field, $"A dossier holds at most {MaxPerDossier} attachments.", "TOO_MANY_ATTACHMENTS")]);
        }

        var problems = new List<FieldViolation>();
        var parsed = new List<(int Index, Guid Id)>();
        var seen = new HashSet<Guid>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (!Guid.TryParseExact(ids[i], "D", out var id))
            {
                problems.Add(new FieldViolation($"{field}[{i}]", "Must be an attachment id returned by UploadAttachment.", "ATTACHMENT_ID_INVALID"));
            }
            else if (!seen.Add(id))
            {
                problems.Add(new FieldViolation($"{field}[{i}]", "The same attachment is named twice.", "ATTACHMENT_DUPLICATE"));
            }
            else
            {
                parsed.Add((i, id));
            }
        }

        var already = await db.Attachments().Where(a => a.DossierId == dossierId).Select(a => a.Size).ToListAsync(cancellationToken);
        var wanted = parsed.Select(p => p.Id).ToList();
        // Untracked: the one conditional UPDATE below is the only write, not a second one from the caller's SaveChanges.
        var rows = wanted.Count == 0
            ? []
            : await db.Attachments().AsNoTracking().Where(a => wanted.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);

        // Only what the dossier does not hold yet counts: naming one of its own attachments again adds nothing.
        var adding = rows.Values.Count(r => r.OwnerAccountId == ownerAccountId && r.DossierId is null);
        if (already.Count + adding > MaxPerDossier)
        {
            problems.Add(new FieldViolation(field, $"A dossier holds at most {MaxPerDossier} attachments.", "TOO_MANY_ATTACHMENTS"));
        }

        foreach (var (index, id) in parsed)
        {
            // Someone else's attachment answers like a missing one: ids are not for probing.
            if (!rows.TryGetValue(id, out var row) || row.OwnerAccountId != ownerAccountId)
            {
                problems.Add(new FieldViolation($"{field}[{index}]", "No attachment of yours has this id (unused uploads are deleted after a while).", "ATTACHMENT_NOT_FOUND"));
            }
            else if (row.DossierId is { } holder && holder != dossierId)
            {
                problems.Add(new FieldViolation($"{field}[{index}]", "This attachment already belongs to another dossier; upload it again.", "ATTACHMENT_TAKEN"));
            }
        }

        if (already.Sum() + rows.Values.Where(r => r.OwnerAccountId == ownerAccountId && r.DossierId is null).Sum(r => r.Size) > MaxBytesPerDossier)
        {
            problems.Add(new FieldViolation(field, $"A dossier's attachments hold at most {MaxBytesPerDossier / (1024 * 1024)} MiB in all.", "ATTACHMENTS_TOO_LARGE"));
        }

        if (problems.Count > 0)
        {
            return ([], problems);
        }

        // One conditional update, so two submissions racing for one upload cannot both take it.
        var fresh = parsed.Where(p => rows[p.Id].DossierId is null).Select(p => p.Id).ToList();
        var taken = fresh.Count == 0 ? 0 : await db.Attachments()
            .Where(a => fresh.Contains(a.Id) && a.OwnerAccountId == ownerAccountId && a.DossierId == null)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.DossierId, dossierId), cancellationToken);
        if (taken != fresh.Count)
        {
            throw new DbUpdateConcurrencyException("An attachment was taken up by another dossier at the same time.");
        }

        var claimed = parsed.Select(p => rows[p.Id]).ToList();
        foreach (var row in claimed)
        {
            row.DossierId = dossierId;
        }

        return (claimed, []);
    }
}
