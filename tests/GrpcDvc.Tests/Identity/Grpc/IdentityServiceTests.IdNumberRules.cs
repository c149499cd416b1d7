using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Population;

namespace GrpcDvc.Tests.Identity.Grpc;

/// <summary>The population rules of ID numbers, held at the identity rpcs that take one.</summary>
public abstract partial class IdentityServiceTests
{
    /// <summary>003 is no province code of Circular 07/2016 (Hà Giang is 002, Cao Bằng 004).</summary>
    private const string UnknownProvinceIdNumber = "003090001234";

    [Fact]
    public async Task Registration_CenturyDigitContradictingTheBirthDate_IsInvalidArgument_AndNoSmsIsSent()
    {
        // Digit 4 is 2 (a man born in the 2000s); even a registry row that agrees with the request cannot make it fit 1990.
        const string bornIn2090 = "001290005555";
        await RegistryCitizens.AddAsync(_server.Services, bornIn2090, "Đỗ Văn Bình", BirthDate.Full(1990, 5, 17), "0977111222");

        var ex = await Assert.ThrowsAsync<RpcException>(() => StartAsync(bornIn2090, "Đỗ Văn Bình", "1990-05-17", "0977111222"));

        Assert.Equal((StatusCode.InvalidArgument, IdNumberReasons.CenturyGender), (ex.StatusCode, ex.GetErrorInfo()?.Reason));
        var violation = Assert.Single(ex.GetBadRequest()!.FieldViolations);
        Assert.Equal(("id_number", IdNumberReasons.CenturyGender), (violation.Field, violation.Reason));
        Assert.Empty((await Development.ListSmsMessagesAsync(new ListSmsMessagesRequest { Phone = "0977111222" })).Messages);
    }

    [Fact]
    public async Task Registration_UnknownProvinceCode_IsInvalidArgument_IdNumberInvalid()
    {
        await RegistryCitizens.AddAsync(_server.Services, UnknownProvinceIdNumber, "Đỗ Văn Bình", BirthDate.Full(1990, 5, 17), "0977111222");

        var ex = await Assert.ThrowsAsync<RpcException>(() => StartAsync(UnknownProvinceIdNumber, "Đỗ Văn Bình", "1990-05-17", "0977111222"));

        Assert.Equal((StatusCode.InvalidArgument, IdentityReasons.IdNumberInvalid), (ex.StatusCode, ex.GetErrorInfo()?.Reason));
        Assert.Equal("id_number", Assert.Single(ex.GetBadRequest()!.FieldViolations).Field);
    }

    [Fact]
    public async Task SignIn_UnknownProvinceCode_IsInvalidArgument_IdNumberInvalid()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Identity.SignInCitizenAsync(new SignInCitizenRequest { IdNumber = UnknownProvinceIdNumber, Password = Password }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, IdentityReasons.IdNumberInvalid), (ex.StatusCode, ex.GetErrorInfo()?.Reason));
        Assert.Equal("id_number", Assert.Single(ex.GetBadRequest()!.FieldViolations).Field);
    }

    [Fact]
    public async Task DevelopmentAssertion_IdNumberContradictingTheBirthYear_IsInvalidArgumentNamingTheRule()
    {
        // Digits 5–6 of the number are 90; a 1991 birth date does not fit them.
        var ex = await Assert.ThrowsAsync<RpcException>(() => Development.IssueDevelopmentAssertionAsync(new IssueDevelopmentAssertionRequest
        {
            IdNumber = IdNumber, FullName = FullName, BirthDate = "1991-05-17", AssuranceLevel = 2,
        }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, IdNumberReasons.BirthYear), (ex.StatusCode, ex.GetErrorInfo()?.Reason));
        Assert.Equal("id_number", Assert.Single(ex.GetBadRequest()!.FieldViolations).Field);
    }
}
