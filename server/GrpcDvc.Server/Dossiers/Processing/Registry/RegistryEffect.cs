using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Dossiers.Processing.Registry;

/// <summary>One procedure's change of the population registry when its result is issued. Runs inside the IssueResult transaction.</summary>
public interface IRegistryEffect
{
    Task ApplyAsync(RegistryEffectContext context, CancellationToken cancellationToken);
}

/// <summary>What an effect works with: the database (inside the change's transaction), the dossier, its details, the time of issue.</summary>
public sealed record RegistryEffectContext(DvcDbContext Db, DossierRecord Dossier, DossierDetails Details, DateTimeOffset Now)
{
    public DateOnly Today => Calendar.VietnamTime.DateOf(Now);

    /// <summary>The first of <paramref name="keys"/> the form fills: a value has one key per form (CT01's online fields, the stay and absence forms' own).</summary>
    public string? Form(params string[] keys)
    {
        foreach (var key in keys)
        {
            if (Details.Form.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }

        return null;
    }

    public string RequiredForm(params string[] keys) => Form(keys) ?? throw new RegistryEffectException($"the form gives no {keys[0]}");

    /// <summary>The commune the address is in: the form's, else the commune the dossier was submitted for.</summary>
    public string? CommuneCode() => Form(ResidenceFormKeys.AddressCommuneCode) ?? Details.CommuneCode;

    public DateOnly? Date(params string[] keys)
    {
        var key = keys[0];
        if (Form(keys) is not { } text)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date)
            ? date
            : throw new RegistryEffectException($"{key} is not a date (yyyy-MM-dd)");
    }

    /// <summary>
    /// The people named in the dossier, each once, or the applicant when nobody is: for the procedures
    /// an applicant files on others' behalf (a host for guests, a parent for a child).
    /// </summary>
    public IReadOnlyList<string> NamedOrApplicant()
        => Details.People.Count > 0
            ? [.. Details.People.Select(p => p.Person.IdNumber).Distinct(StringComparer.Ordinal)]
            : [Dossier.ApplicantIdNumber];

    /// <summary>The applicant first, then the people concerned, each once.</summary>
    public IReadOnlyList<string> Subjects()
        => [.. new[] { Dossier.ApplicantIdNumber }.Concat(Details.People.Select(p => p.Person.IdNumber)).Distinct(StringComparer.Ordinal)];
}

/// <summary>An effect the registry's state does not allow (no temporary residence to extend, a missing field…): the status change is refused with it.</summary>
public sealed class RegistryEffectException : Exception
{
    public RegistryEffectException(string problem)
        : base(problem)
    {
    }

    public RegistryEffectException()
    {
    }

    public RegistryEffectException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
