using GrpcDvc.Server.Dossiers.Processing;
using GrpcDvc.Server.Errors;

namespace GrpcDvc.Tests.Dossiers.Processing;

/// <summary>
/// The shapes an official's change names: a dossier code and the keys of a supplement's form. A pattern ending
/// in $ also matches before a final line break, so "…-0001\n" passed as a code and "name\n" was stored as a key.
/// </summary>
public sealed class ProcessingInputShapeTests
{
    [Theory]
    [InlineData("P34-01-261130-0001", true)]
    [InlineData("CAX.HN-261130-9999", true)]
    [InlineData("P34-01-261130-0001\n", false)]
    [InlineData("P34-01-261130-0001\r\n", false)]
    [InlineData("P34-01-261130-001", false)]
    [InlineData("-261130-0001", false)]
    public void DossierCode_IsUnitCodeDateAndNumber_AndNothingAfter(string code, bool valid)
        => Assert.Equal(valid, ProcessingInput.IsDossierCode(code));

    [Theory]
    [InlineData(1)]
    [InlineData(9_999)]
    [InlineData(10_000)] // the day's ten-thousandth dossier of a unit grows a fifth digit, and must still be processed
    [InlineData(int.MaxValue)]
    public void EveryCodeSubmissionMakes_IsADossierCodeToProcessing(int number)
        => Assert.True(ProcessingInput.IsDossierCode(Server.Dossiers.Submission.DossierCodes.Format("P34-01", new DateOnly(2026, 11, 30), number)));

    [Theory]
    [InlineData("full_name", true)]
    [InlineData("address_detail2", true)]
    [InlineData("full_name\n", false)]
    [InlineData("Full_name", false)]
    [InlineData("2nd_address", false)]
    [InlineData("full name", false)]
    public void FormKey_IsSnakeCase_AndNothingAfter(string key, bool valid)
    {
        var violations = new List<FieldViolation>();

        BoundedFormChanges.Check(new Dictionary<string, string> { [key] = "giá trị" }, violations);

        Assert.Equal(valid, violations.Count == 0);
        Assert.All(violations, v => Assert.Equal(("form", "FORM_KEY_INVALID"), (v.Field, v.Reason)));
    }
}
