using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Contracts.Population.V1;

namespace GrpcDvc.LookupLoad;

/// <summary>
/// The dossier benchmark's calls: a residence confirmation (BCA-L4-09, Xác nhận thông tin về cư trú,
/// the CT01 e-form, no attachments, result online) submitted by a signed-in citizen, and the unit's
/// whole cycle on one submitted dossier: receive, start processing, approve, issue the result, return it.
/// </summary>
internal static class DossierCalls
{
    public const string Procedure = "BCA-L4-09";

    public static SubmitDossierRequest Submission(SampleCitizen citizen)
    {
        var birth = DateOnly.ParseExact(citizen.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new SubmitDossierRequest
        {
            RequestId = Guid.NewGuid().ToString("D"),
            ProcedureCode = Procedure,
            Applicant = new Declaration
            {
                IdNumber = citizen.IdNumber,
                FullName = citizen.FullName,
                BirthDate = new PartialDate { Year = birth.Year, Month = birth.Month, Day = birth.Day, Precision = DatePrecision.Full },
                Gender = citizen.Gender == "female" ? Gender.Female : Gender.Male,
            },
            Form =
            {
                ["full_name"] = citizen.FullName,
                ["date_of_birth"] = citizen.BirthDate,
                ["gender"] = citizen.Gender == "female" ? "Nữ" : "Nam",
                ["personal_id_number"] = citizen.IdNumber,
                ["request_content"] = "Đề nghị xác nhận thông tin về cư trú (đo tải).",
            },
            Delivery = new ResultDelivery { Method = DeliveryMethod.Online },
        };
    }

    /// <summary>Receive → start processing → approve → issue result → return result, each against the version the last one returned.</summary>
    /// <remarks>Each call is timed on its own; a failed call ends the cycle (the rest would only fail on its status).</remarks>
    public static async Task CycleAsync(DossierService.DossierServiceClient client, string code, long version, CallOptions official, CallSamples results)
    {
        Func<long, Task<long>>[] steps =
        [
            async v => (await client.ReceiveDossierAsync(new ReceiveDossierRequest { RequestId = Id(), Code = code, ExpectedVersion = v }, official)).Dossier.Version,
            async v => (await client.StartProcessingAsync(new StartProcessingRequest { RequestId = Id(), Code = code, ExpectedVersion = v }, official)).Dossier.Version,
            async v => (await client.ApproveDossierAsync(new ApproveDossierRequest { RequestId = Id(), Code = code, ExpectedVersion = v }, official)).Dossier.Version,
            async v => (await client.IssueResultAsync(new IssueResultRequest
            {
                RequestId = Id(),
                Code = code,
                ExpectedVersion = v,
                DocumentNumber = $"CT07-{code}",
                Summary = "Xác nhận thông tin về cư trú (đo tải).",
            }, official)).Dossier.Version,
            async v => (await client.ReturnResultAsync(new ReturnResultRequest { RequestId = Id(), Code = code, ExpectedVersion = v }, official)).Dossier.Version,
        ];
        foreach (var step in steps)
        {
            var before = Stopwatch.GetTimestamp();
            try
            {
                version = await step(version);
                results.Succeeded(Stopwatch.GetTimestamp() - before);
            }
            catch (RpcException ex)
            {
                results.Failed(ex.StatusCode);
                return;
            }
        }
    }

    private static string Id() => Guid.NewGuid().ToString("D");
}
