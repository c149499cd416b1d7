using GrpcDvc.Server.Catalog.Forms;

namespace GrpcDvc.Tests.Catalog;

/// <summary>Each rule of <see cref="FormValidator"/>: one problem per bad field, named by the field's key.</summary>
public sealed class FormValidatorTests
{
    private static readonly FormDefinition Form = new("TEST01", "Tờ khai thử", FieldsKnown: true,
    [
        new FormField("full_name", "Họ, chữ đệm và tên", FormFieldType.Text, Required: true, MaxLength: 10),
        new FormField("date_of_birth", "Ngày sinh", FormFieldType.Date, Required: false),
        new FormField("personal_id_number", "Số định danh cá nhân", FormFieldType.IdNumber, Required: false),
        new FormField("phone", "Số điện thoại", FormFieldType.Phone, Required: false),
        new FormField("email", "Email", FormFieldType.Email, Required: false),
        new FormField("people", "Số người", FormFieldType.WholeNumber, Required: false, Min: 1, Max: 30),
        new FormField("gender", "Giới tính", FormFieldType.Choice, Required: false, Choices: ["Nam", "Nữ"]),
        new FormField("address", "Địa chỉ", FormFieldType.Address, Required: false),
    ]);

    private static readonly FormDefinition Unlisted = new("TEST02", "Mẫu chưa rõ", FieldsKnown: false, []);

    [Fact]
    public void Validate_AllGood_HasNoProblem()
        => Assert.Empty(FormValidator.Validate(Form, new Dictionary<string, string>
        {
            ["full_name"] = "Nguyễn An",
            ["date_of_birth"] = "1990-05-17",
            ["personal_id_number"] = "001090123456",
            ["phone"] = "0912 345 678",
            ["email"] = "an@example.vn",
            ["people"] = "3",
            ["gender"] = "Nữ",
            ["address"] = "Số 1, phố Hàng Bài\nHà Nội",
        }));

    [Fact]
    public void Validate_FieldRequiredWhenAChoiceIsMade_IsRequiredForThatChoiceOnly()
    {
        FormDefinition form = new("TEST03", "Tờ khai điều chỉnh", FieldsKnown: true,
        [
            new FormField("case", "Trường hợp", FormFieldType.Choice, Required: true, Choices: ["đổi chủ hộ", "đổi tên đường"]),
            new FormField("new_street", "Tên đường mới", FormFieldType.Text, Required: false) { RequiredWhen = new("case", "đổi tên đường") },
        ]);

        AssertSingle(form, new() { ["case"] = "đổi tên đường" }, "new_street", FormProblemReasons.Required);
        AssertSingle(form, new() { ["case"] = "đổi tên đường", ["new_street"] = " " }, "new_street", FormProblemReasons.Required);
        Assert.Empty(FormValidator.Validate(form, new Dictionary<string, string> { ["case"] = "đổi chủ hộ" }));
        Assert.Empty(FormValidator.Validate(form, new Dictionary<string, string> { ["case"] = "đổi tên đường", ["new_street"] = "Phố Mới" }));
    }

    [Fact]
    public void Validate_RequiredMissingOrBlank_IsOneProblemOnThatField()
    {
        AssertSingle(Form, [], "full_name", FormProblemReasons.Required);
        AssertSingle(Form, new() { ["full_name"] = "   " }, "full_name", FormProblemReasons.Required);
    }

    [Fact]
    public void Validate_OptionalFieldLeftEmpty_IsAccepted()
        => Assert.Empty(FormValidator.Validate(Form, new Dictionary<string, string> { ["full_name"] = "An", ["email"] = "" }));

    [Fact]
    public void Validate_KeyTheFormDoesNotDefine_IsUnknownField()
        => AssertSingle(Form, new() { ["full_name"] = "An", ["nickname"] = "Bé" }, "nickname", FormProblemReasons.UnknownField);

    [Fact]
    public void Validate_LongerThanTheFieldsMaximum_IsTooLong()
        => AssertSingle(Form, new() { ["full_name"] = "Nguyễn Văn Anh" }, "full_name", FormProblemReasons.TooLong);

    [Theory]
    [InlineData("17/05/1990")]
    [InlineData("1990-02-30")]
    [InlineData("1990-5-17")]
    public void Validate_DateNotYyyyMmDd_IsNotADate(string value)
        => AssertSingle(Form, new() { ["full_name"] = "An", ["date_of_birth"] = value }, "date_of_birth", FormProblemReasons.Date);

    [Theory]
    [InlineData("00109012345")]
    [InlineData("00109012345a")]
    [InlineData("999090123456")]
    public void Validate_IdNumberBreakingThePopulationRules_IsNotAnIdNumber(string value)
        => AssertSingle(Form, new() { ["full_name"] = "An", ["personal_id_number"] = value }, "personal_id_number", FormProblemReasons.IdNumber);

    [Theory]
    [InlineData("0212345678")]
    [InlineData("091234567")]
    [InlineData("+1 555 0100")]
    public void Validate_NotAVietnameseMobile_IsNotAPhone(string value)
        => AssertSingle(Form, new() { ["full_name"] = "An", ["phone"] = value }, "phone", FormProblemReasons.Phone);

    [Theory]
    [InlineData("an.example.vn")]
    [InlineData("An <an@example.vn>")]
    [InlineData("an@localhost")]
    public void Validate_NotAnEmailAddress_IsNotAnEmail(string value)
        => AssertSingle(Form, new() { ["full_name"] = "An", ["email"] = value }, "email", FormProblemReasons.Email);

    [Fact]
    public void Validate_IntegerNotANumberOrOutOfRange_IsReported()
    {
        AssertSingle(Form, new() { ["full_name"] = "An", ["people"] = "ba" }, "people", FormProblemReasons.WholeNumber);
        AssertSingle(Form, new() { ["full_name"] = "An", ["people"] = "31" }, "people", FormProblemReasons.OutOfRange);
        AssertSingle(Form, new() { ["full_name"] = "An", ["people"] = "0" }, "people", FormProblemReasons.OutOfRange);
    }

    [Fact]
    public void Validate_ChoiceNotInTheList_IsNotAChoice()
        => AssertSingle(Form, new() { ["full_name"] = "An", ["gender"] = "nu" }, "gender", FormProblemReasons.NotAChoice);

    [Fact]
    public void Validate_ControlCharacters_AreRefused()
        => AssertSingle(Form, new() { ["full_name"] = "An\u0000" }, "full_name", FormProblemReasons.ControlCharacters);

    [Fact]
    public void Validate_SeveralBadFields_GivesOneProblemEach()
    {
        var problems = FormValidator.Validate(Form, new Dictionary<string, string>
        {
            ["date_of_birth"] = "x",
            ["phone"] = "x",
            ["gender"] = "x",
            ["extra"] = "x",
        });

        Assert.Equal(["date_of_birth", "extra", "full_name", "gender", "phone"], problems.Select(p => p.FieldKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_FieldsUnknown_AcceptsAnySnakeCaseKeys()
        => Assert.Empty(FormValidator.Validate(Unlisted, new Dictionary<string, string> { ["purpose"] = "Vay vốn", ["data_scope"] = "họ tên" }));

    [Fact]
    public void Validate_FieldsUnknown_StillBoundsKeysAndSizes()
    {
        AssertSingle(Unlisted, new() { ["Bad Key"] = "x" }, "Bad Key", FormProblemReasons.BadKey);
        AssertSingle(Unlisted, new() { ["purpose"] = new string('a', FormValidator.MaxValueLength + 1) }, "purpose", FormProblemReasons.TooLong);
        Assert.Empty(FormValidator.Validate(Unlisted, new Dictionary<string, string> { ["purpose"] = new string('a', FormValidator.MaxValueLength) }));

        var many = Enumerable.Range(0, FormValidator.MaxFields + 1).ToDictionary(i => $"k{i}", _ => "v");
        AssertSingle(Unlisted, many, FormValidator.WholeForm, FormProblemReasons.TooManyFields);
        Assert.Empty(FormValidator.Validate(Unlisted, many.Take(FormValidator.MaxFields).ToDictionary()));
    }

    [Fact]
    public void Validate_KnownFieldWithoutMaximum_IsBoundedByTheFormWideMaximum()
        => AssertSingle(Form, new() { ["full_name"] = "An", ["address"] = new string('a', FormValidator.MaxValueLength + 1) }, "address", FormProblemReasons.TooLong);

    private static void AssertSingle(FormDefinition form, Dictionary<string, string> values, string key, string reason)
    {
        var problem = Assert.Single(FormValidator.Validate(form, values));
        Assert.Equal(key, problem.FieldKey);
        Assert.Equal(reason, problem.Reason);
        Assert.False(string.IsNullOrWhiteSpace(problem.Description));
    }
}
