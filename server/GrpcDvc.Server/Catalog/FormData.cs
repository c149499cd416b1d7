using System.Text.Json;
using GrpcDvc.Server.Catalog.Forms;

namespace GrpcDvc.Server.Catalog;

/// <summary>The forms data file (Catalog/Data/forms.json) as read: one entry per form code.</summary>
public sealed record FormsData(IReadOnlyList<FormData> Forms)
{
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Catalog", "Data", "forms.json");

    public static FormsData Load(string path)
    {
        using var stream = File.OpenRead(path);
        var data = JsonSerializer.Deserialize<FormsData>(stream, CatalogData.Json) ?? throw new InvalidDataException($"{path} holds no forms.");
        foreach (var form in data.Forms)
        {
            _ = form.ToDefinition();
        }

        return data;
    }
}

/// <summary>
/// One form as the data writes it. <see cref="Kind"/> is "official_form" (a numbered form of a
/// legal text) or "statutory_content" (the items a law requires, with no numbered form).
/// </summary>
public sealed record FormData(
    string Code,
    string Kind,
    string NameVi,
    bool FieldsKnown,
    IReadOnlyList<string> Sources,
    string? NameEn = null,
    string? NoteEn = null,
    IReadOnlyList<FormFieldData>? Fields = null)
{
    public FormDefinition ToDefinition()
    {
        if (Kind is not ("official_form" or "statutory_content"))
        {
            throw new InvalidDataException($"Form {Code}: '{Kind}' is not a form kind.");
        }

        if (!FieldsKnown && Fields is { Count: > 0 })
        {
            throw new InvalidDataException($"Form {Code} lists fields but says its fields are not known.");
        }

        return new FormDefinition(Code, NameVi, FieldsKnown, [.. (Fields ?? []).Select(f => f.ToField(Code))])
        {
            NameEn = NameEn,
            NoteEn = NoteEn,
            IsStatutoryContent = Kind == "statutory_content",
            Sources = Sources,
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this, CatalogData.Json);

    public static FormData Parse(string json) => JsonSerializer.Deserialize<FormData>(json, CatalogData.Json) ?? throw new InvalidDataException("Empty form.");
}

public sealed record FormFieldData(
    string Key,
    string LabelVi,
    string Type,
    bool Required,
    int? MaxLength = null,
    IReadOnlyList<string>? Choices = null,
    long? Min = null,
    long? Max = null)
{
    public FormField ToField(string formCode) => new(Key, LabelVi, Type switch
    {
        "text" => FormFieldType.Text,
        "date" => FormFieldType.Date,
        "id_number" => FormFieldType.IdNumber,
        "phone" => FormFieldType.Phone,
        "email" => FormFieldType.Email,
        "integer" => FormFieldType.WholeNumber,
        "choice" => FormFieldType.Choice,
        "address" => FormFieldType.Address,
        _ => throw new InvalidDataException($"Form {formCode}, field {Key}: '{Type}' is not a field type."),
    }, Required, MaxLength, Choices, Min, Max);
}
