using GrpcDvc.Server.Text;

namespace GrpcDvc.Tests.Text;

public sealed class VietnameseTextTests
{
    [Theory]
    [InlineData("Đăng ký tạm trú", "dang ky tam tru")]
    [InlineData("  ĐỔI   thẻ Căn cước  ", "doi the can cuoc")]
    [InlineData("Xác nhận Chứng minh nhân dân", "xac nhan chung minh nhan dan")]
    [InlineData("dang ky tam tru", "dang ky tam tru")]
    [InlineData("Khai báo tạm vắng", "khai bao tam vang")]
    public void Fold_RemovesMarksAndCase_AndMapsDToD(string text, string folded)
        => Assert.Equal(folded, VietnameseText.Fold(text));

    [Fact]
    public void Fold_PrecomposedAndDecomposedForms_FoldAlike()
        => Assert.Equal(VietnameseText.Fold("Tạm trú"), VietnameseText.Fold("Tạm trú".Normalize(System.Text.NormalizationForm.FormD)));

    [Fact]
    public void Words_SplitsFoldedQuery()
        => Assert.Equal(["con", "dau"], VietnameseText.Words(" Con  DẤU "));
}
