using Google.Protobuf.WellKnownTypes;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Dossiers.History;
using Proto = GrpcDvc.Contracts.Dossiers.V1;
using ProtoCommon = GrpcDvc.Contracts.Common.V1;
using ProtoPopulation = GrpcDvc.Contracts.Population.V1;

namespace GrpcDvc.Server.Dossiers;

/// <summary>
/// Rows and details to messages, one way: every part of the capability answers with the same shapes.
/// The procedure's and the unit's names come from the caller (the catalog and the units are theirs to read).
/// </summary>
public static class DossierMessages
{
    public static Proto.Dossier ToMessage(DossierRecord row, DossierDetails details, ProtoCommon.LocalizedText procedureName, string unitName, IEnumerable<AttachmentRecord> attachments, DateTimeOffset now)
    {
        var status = DossierStatuses.Parse(row.Status);
        var message = new Proto.Dossier
        {
            Code = row.Code,
            ProcedureCode = row.ProcedureCode,
            ProcedureName = procedureName,
            Status = ToMessage(status),
            StatusName = DossierStatuses.NameVi(status),
            UnitCode = row.UnitCode,
            UnitName = unitName,
            SubmittedAt = Time(row.SubmittedAt),
            ClockStartedAt = Time(row.ClockStartedAt),
            Overdue = IsOverdue(row, status, now),
            Version = row.Version,
            Applicant = ToMessage(details.Applicant),
            People = { details.People.Select(p => new Proto.PersonConcerned { Declaration = ToMessage(p.Person), Relationship = p.Relationship }) },
            Form = { details.Form.ToDictionary(StringComparer.Ordinal) },
            Attachments = { attachments.Select(ToMessage) },
            Delivery = ToMessage(details.Delivery),
            UpdatedAt = Time(row.UpdatedAt),
            StationId = row.StationId ?? string.Empty,
        };
        if (row.DueAt is { } due)
        {
            message.DueAt = Time(due);
            var local = VietnamTime.ToLocal(due);
            message.DueDate = new ProtoCommon.Date { Year = local.Year, Month = local.Month, Day = local.Day };
        }

        if (details.Receipt is { } receipt)
        {
            message.Receipt = new Proto.Receipt { FormCode = receipt.FormCode, IssuedAt = Time(receipt.IssuedAt), IssuedByName = receipt.IssuedByName };
            if (receipt.AppointmentAt is { } appointment)
            {
                message.Receipt.AppointmentAt = Time(appointment);
            }
        }

        if (status == DossierStatus.SupplementRequested && details.SupplementRequest is { } supplement)
        {
            message.SupplementRequest = new Proto.SupplementRequest { Reason = supplement.Reason, DocumentsToAdd = { supplement.DocumentsToAdd }, RequestedAt = Time(supplement.RequestedAt) };
        }

        if (details.Rejection is { } rejection)
        {
            message.Rejection = new Proto.Rejection { Reason = rejection.Reason, DocumentsToAdd = { rejection.DocumentsToAdd }, RejectedAt = Time(rejection.RejectedAt), FormCode = rejection.FormCode };
        }

        if (details.Result is { } result)
        {
            message.Result = new Proto.DossierResult { FormCode = result.FormCode, DocumentNumber = result.DocumentNumber, Summary = result.Summary, IssuedAt = Time(result.IssuedAt) };
            if (result.ReturnedAt is { } returned)
            {
                message.Result.ReturnedAt = Time(returned);
            }
        }

        return message;
    }

    public static Proto.DossierSummary ToSummary(DossierRecord row, ProtoCommon.LocalizedText procedureName, DateTimeOffset now)
    {
        var status = DossierStatuses.Parse(row.Status);
        var summary = new Proto.DossierSummary
        {
            Code = row.Code,
            ProcedureCode = row.ProcedureCode,
            ProcedureName = procedureName,
            Status = ToMessage(status),
            StatusName = DossierStatuses.NameVi(status),
            UnitCode = row.UnitCode,
            SubmittedAt = Time(row.SubmittedAt),
            Overdue = IsOverdue(row, status, now),
            ApplicantName = row.ApplicantName,
            Version = row.Version,
            UpdatedAt = Time(row.UpdatedAt),
        };
        if (row.DueAt is { } due)
        {
            summary.DueAt = Time(due);
        }

        return summary;
    }

    public static Proto.DossierEvent ToMessage(DossierEventRecord e) => new()
    {
        Sequence = e.Sequence,
        At = Time(e.At),
        Action = (Proto.DossierAction)(int)DossierActions.Parse(e.Action),
        FromStatus = e.FromStatus is null ? Proto.DossierStatus.Unspecified : ToMessage(DossierStatuses.Parse(e.FromStatus)),
        ToStatus = ToMessage(DossierStatuses.Parse(e.ToStatus)),
        ActorId = e.ActorId?.ToString("D") ?? string.Empty,
        ActorName = e.ActorName,
        ActorRole = RoleNames.TryParse(e.ActorRole, out var role) ? role : Contracts.Auth.V1.Role.Unspecified,
        UnitCode = e.UnitCode ?? string.Empty,
        Reason = e.Reason ?? string.Empty,
        Documents = { HistoryChain.ReadDocuments(e.Documents) },
        PreviousHash = e.PreviousHash,
        Hash = e.Hash,
    };

    public static Proto.Attachment ToMessage(AttachmentRecord a) => new()
    {
        Id = a.Id.ToString("D"),
        FileName = a.FileName,
        ContentType = a.ContentType,
        Size = a.Size,
        Sha256 = a.Sha256,
        DocumentName = a.DocumentName,
        UploadedAt = Time(a.UploadedAt),
    };

    public static Proto.DossierStatus ToMessage(DossierStatus status) => (Proto.DossierStatus)(int)status;

    /// <summary>Null for UNSPECIFIED or a value this server does not know.</summary>
    public static DossierStatus? FromMessage(Proto.DossierStatus status)
        => System.Enum.IsDefined((DossierStatus)(int)status) ? (DossierStatus)(int)status : null;

    public static ProtoPopulation.Declaration ToMessage(DeclaredPerson p) => new()
    {
        IdNumber = p.IdNumber,
        FullName = p.FullName,
        BirthDate = new ProtoPopulation.PartialDate
        {
            Year = p.BirthYear,
            Month = p.BirthMonth,
            Day = p.BirthDay,
            Precision = p.BirthDay > 0 ? ProtoPopulation.DatePrecision.Full : p.BirthMonth > 0 ? ProtoPopulation.DatePrecision.MonthYear : ProtoPopulation.DatePrecision.Year,
        },
        Gender = p.Gender == "female" ? ProtoPopulation.Gender.Female : p.Gender == "male" ? ProtoPopulation.Gender.Male : ProtoPopulation.Gender.Unspecified,
        PermanentResidenceCommuneCode = p.PermanentResidenceCommuneCode ?? string.Empty,
        FatherIdNumber = p.FatherIdNumber ?? string.Empty,
        MotherIdNumber = p.MotherIdNumber ?? string.Empty,
        Phone = p.Phone ?? string.Empty,
    };

    public static Proto.ResultDelivery ToMessage(DeliveryChoice d)
    {
        var message = new Proto.ResultDelivery { Method = (Proto.DeliveryMethod)(int)d.Method, Email = d.Email ?? string.Empty };
        if (d.Postal is { } postal)
        {
            message.PostalAddress = new Proto.PostalAddress { RecipientName = postal.RecipientName, Phone = postal.Phone, CommuneCode = postal.CommuneCode, Detail = postal.Detail };
        }

        return message;
    }

    /// <summary>Past due and not finished (the sweep's flag may lag; the answer does not).</summary>
    public static bool IsOverdue(DossierRecord row, DossierStatus status, DateTimeOffset now)
        => row.DueAt is { } due && now > due && !DossierStatuses.IsFinal(status) && status != DossierStatus.ResultIssued && status != DossierStatus.SupplementRequested;

    public static Timestamp Time(DateTimeOffset at) => Timestamp.FromDateTimeOffset(at);
}
