namespace GrpcDvc.Server.Catalog.Forms;

/// <summary>
/// A form a citizen fills online, as the catalog data describes it (Catalog/Data/forms.json).
/// <see cref="FieldsKnown"/> is false when no source read lists the form's items: the catalog
/// then names the form but invents no field, and <see cref="Fields"/> is empty.
/// </summary>
public sealed record FormDefinition(string Code, string NameVi, bool FieldsKnown, IReadOnlyList<FormField> Fields)
{
    public string? NameEn { get; init; }

    /// <summary>What the data knows and leaves out about the form, and why.</summary>
    public string? NoteEn { get; init; }

    /// <summary>True for the content a law requires (a stay notification) where no numbered form exists.</summary>
    public bool IsStatutoryContent { get; init; }

    public IReadOnlyList<string> Sources { get; init; } = [];
}

/// <summary>One item of a form. <see cref="MaxLength"/>, <see cref="Choices"/> and <see cref="Min"/>/<see cref="Max"/> apply by type.</summary>
public sealed record FormField(
    string Key,
    string LabelVi,
    FormFieldType Type,
    bool Required,
    int? MaxLength = null,
    IReadOnlyList<string>? Choices = null,
    long? Min = null,
    long? Max = null)
{
    /// <summary>Required only when another field holds a given value (one case of a choice needs it, the others do not).</summary>
    public FieldCondition? RequiredWhen { get; init; }
}

/// <summary>A field holding exactly a value.</summary>
public sealed record FieldCondition(string Key, string Value);

/// <summary>How a value is written: dates as yyyy-MM-dd, the rest as typed.</summary>
public enum FormFieldType
{
    Text,
    Date,
    IdNumber,
    Phone,
    Email,
    /// <summary>An integer, within Min and Max when given.</summary>
    WholeNumber,
    Choice,
    Address,
}
