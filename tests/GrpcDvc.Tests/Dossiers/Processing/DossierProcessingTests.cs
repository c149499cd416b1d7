using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Dossiers.History;
using GrpcDvc.Server.Dossiers.Processing;
using GrpcDvc.Server.Population.DataAccessLog;
using GrpcDvc.Server.Population.Registry;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Domain = GrpcDvc.Server.Dossiers;

namespace GrpcDvc.Tests.Dossiers.Processing;

/// <summary>The processing rpcs through the real server on a real database; run once per provider.</summary>
public abstract class DossierProcessingTests : IAsyncLifetime
{
    private InProcessServer _server = null!;

    private ProcessingWorld World { get; set; } = null!;

    private DossierService.DossierServiceClient Dossiers => World.Client;

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync();
        World = new ProcessingWorld(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract Task<InProcessServer> StartServerAsync();

    private static string NewId() => Guid.NewGuid().ToString("D");

    [Fact]
    public async Task Receive_SubmittedResidenceDossier_IsReceivedOnCT04_WithTheOfficialInAChainedEvent()
    {
        var commune = await World.CommuneAsync();
        var dossier = await World.DossierAsync(commune, Guid.NewGuid(), "001090000001");
        var intake = await World.OfficialAsync(commune.Code, Role.IntakeOfficer);

        var response = await Dossiers.ReceiveDossierAsync(new ReceiveDossierRequest { RequestId = NewId(), Code = dossier.Code, ExpectedVersion = 1 }, intake);

        Assert.Equal(DossierStatus.Received, response.Dossier.Status);
        Assert.Equal("Đã tiếp nhận", response.Dossier.StatusName);
        Assert.Equal(2, response.Dossier.Version);
        Assert.Equal("CT04", response.Dossier.Receipt.FormCode);
        Assert.Equal("Phạm Thị Cán Bộ", response.Dossier.Receipt.IssuedByName);
        Assert.Equal((DossierAction.Receive, DossierStatus.Submitted, DossierStatus.Received, Role.IntakeOfficer, commune.Code, 2L),
            (response.Event.Action, response.Event.FromStatus, response.Event.ToStatus, response.Event.ActorRole, response.Event.UnitCode, response.Event.Sequence));
        var stored = await World.ReadDossierAsync(dossier.Code);
        Assert.True(HistoryChain.Verify(stored, await World.EventsAsync(dossier.Id)).Intact);
    }

    [Fact]
    public async Task Answers_ShowingTheDossiersPersonalData_AreInTheAccessLog_RetriesToo()
    {
        var commune = await World.CommuneAsync();
        var dossier = await World.DossierAsync(commune, Guid.NewGuid(), "001090000014");
        var intake = await World.OfficialAsync(commune.Code, Role.IntakeOfficer);
        var request = new ReceiveDossierRequest { RequestId = NewId(), Code = dossier.Code };

        await Dossiers.ReceiveDossierAsync(request, intake);
        await Dossiers.ReceiveDossierAsync(request, intake);

        List<DataAccessRecord> entries = [];
        await World.WithDbAsync(async db => entries = await db.Set<DataAccessRecord>().AsNoTracking().Where(a => a.Reference == dossier.Code).ToListAsync());
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(("001090000014", (int)ReadPurpose.DossierProcessing, "Phạm Thị Cán Bộ", "/dvc.dossiers.v1.DossierService/ReceiveDossier"),
            (e.SubjectIdNumber, e.Purpose, e.AccessorName, e.Rpc)));
    }

    [Fact]
    public async Task Receive_IdentityCardDossier_IssuesTheCC02AppointmentSlip()
    {
        var commune = await World.CommuneAsync();
        var dossier = await World.DossierAsync(commune, Guid.NewGuid(), "001090000002", procedureCode: "BCA-L3-01");
        var intake = await World.OfficialAsync(commune.Code, Role.IntakeOfficer);
        var appointment = DateTimeOffset.UtcNow.AddDays(3);

        var response = await Dossiers.ReceiveDossierAsync(new ReceiveDossierRequest
        {
            RequestId = NewId(), Code = dossier.Code, AppointmentAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(appointment),
        }, intake);

        Assert.Equal("CC02", response.Dossier.Receipt.FormCode);
        Assert.Equal(appointment.ToUnixTimeSeconds(), response.Dossier.Receipt.AppointmentAt.Seconds);
    }

    [Fact]
    public async Task Retry_SameRequestId_ReturnsTheFirstEvent_AndWritesNothing()
    {
        var commune = await World.CommuneAsync();
        var dossier = await World.DossierAsync(commune, Guid.NewGuid(), "001090000003");
        var intake = await World.OfficialAsync(commune.Code, Role.IntakeOfficer);
        var request = new ReceiveDossierRequest { RequestId = NewId(), Code = dossier.Code, ExpectedVersion = 1 };

        var first = await Dossiers.ReceiveDossierAsync(request, intake);
        var retry = await Dossiers.ReceiveDossierAsync(request, intake);

        Assert.Equal(first.Event, retry.Event);
        Assert.Equal(2, retry.Dossier.Version);
        Assert.Equal(2, (await World.EventsAsync(dossier.Id)).Count);
    }

    [Fact]
    public async Task TwoOfficials_ActingAtOnceOnOneDossier_OneWins_TheOtherIsAbortedWithTheCurrentStatus()
    {
        var commune = await World.CommuneAsync();
        var intake = await World.OfficialAsync(commune.Code, Role.IntakeOfficer);
        var processing = await World.OfficialAsync(commune.Code, Role.ProcessingOfficer);
        for (var round = 0; round < 5; round++)
        {
            var dossier = await World.DossierAsync(commune, Guid.NewGuid(), "001090000004", status: Domain.DossierStatus.Received);
            using var start = new Barrier(2);
            var calls = new[]
            {
                Task.Run(async () =>
                {
                    start.SignalAndWait();
                    return (object)await Dossiers.StartProcessingAsync(new StartProcessingRequest { RequestId = NewId(), Code = dossier.Code, ExpectedVersion = 1 }, processing);
                }),
                Task.Run(async () =>
                {
                    start.SignalAndWait();
                    return (object)await Dossiers.RejectDossierAsync(new RejectDossierRequest
                    {
                        RequestId = NewId(), Code = dossier.Code, ExpectedVersion = 1, Reason = "Thiếu giấy tờ chứng minh chỗ ở hợp pháp.", DocumentsToAdd = { "Hợp đồng thuê nhà" },
                    }, intake);
                }),
            };
            var outcomes = new List<(object? Answer, RpcException? Error)>();
            foreach (var call in calls)
            {
                try
                {
                    outcomes.Add((await call, null));
                }
                catch (RpcException e)
                {
                    outcomes.Add((null, e));
                }
            }

            var winner = Assert.Single(outcomes, o => o.Answer is not null).Answer;
            var loser = Assert.Single(outcomes, o => o.Error is not null).Error!;
            var now = await World.ReadDossierAsync(dossier.Code);
            Assert.Equal(StatusCode.Aborted, loser.StatusCode);
            Assert.Equal(2, now.Version);
            Assert.Contains(now.Status, loser.Status.Detail, StringComparison.Ordinal);
            var info = loser.GetRpcStatus()!.GetDetail<ErrorInfo>();
            Assert.Equal((ProcessingReasons.VersionConflict, now.Status, "2"), (info.Reason, info.Metadata["status"], info.Metadata["version"]));
            Assert.Equal(winner is StartProcessingResponse ? "processing" : "rejected", now.Status);
            Assert.Equal(2, (await World.EventsAsync(dossier.Id)).Count);
        }
    }

    [Fact]
    public async Task EveryRpc_FromEveryStatus_MovesTheDossierOrIsRefusedNamingTheStatus_AsTheMachineSays()
    {
        var commune = await World.CommuneAsync();
        var official = await World.OfficialAsync(commune.Code, Role.IntakeOfficer, Role.ProcessingOfficer, Role.ApprovingLeader);
        var applicant = Guid.NewGuid();
        var citizen = await World.CitizenAsync(applicant, "001090000030");
        var calls = new Dictionary<Domain.DossierAction, Func<string, Task<Dossier>>>
        {
            [Domain.DossierAction.Receive] = async code => (await Dossiers.ReceiveDossierAsync(new ReceiveDossierRequest { RequestId = NewId(), Code = code }, official)).Dossier,
            [Domain.DossierAction.StartProcessing] = async code => (await Dossiers.StartProcessingAsync(new StartProcessingRequest { RequestId = NewId(), Code = code }, official)).Dossier,
            [Domain.DossierAction.RequestSupplement] = async code => (await Dossiers.RequestSupplementAsync(new RequestSupplementRequest { RequestId = NewId(), Code = code, Reason = "Thiếu ảnh", DocumentsToAdd = { "Ảnh 4x6" } }, official)).Dossier,
            [Domain.DossierAction.Supplement] = async code => (await Dossiers.SupplementDossierAsync(new SupplementDossierRequest { RequestId = NewId(), Code = code, Form = { ["request_content"] = "Bổ sung: số 1 ngõ 2" } }, citizen)).Dossier,
            [Domain.DossierAction.Reject] = async code => (await Dossiers.RejectDossierAsync(new RejectDossierRequest { RequestId = NewId(), Code = code, Reason = "Không đủ điều kiện", DocumentsToAdd = { "Giấy tờ chỗ ở" } }, official)).Dossier,
            [Domain.DossierAction.Approve] = async code => (await Dossiers.ApproveDossierAsync(new ApproveDossierRequest { RequestId = NewId(), Code = code }, official)).Dossier,
            [Domain.DossierAction.IssueResult] = async code => (await Dossiers.IssueResultAsync(new IssueResultRequest { RequestId = NewId(), Code = code, DocumentNumber = "9/XN" }, official)).Dossier,
            [Domain.DossierAction.ReturnResult] = async code => (await Dossiers.ReturnResultAsync(new ReturnResultRequest { RequestId = NewId(), Code = code }, official)).Dossier,
            [Domain.DossierAction.Withdraw] = async code => (await Dossiers.WithdrawDossierAsync(new WithdrawDossierRequest { RequestId = NewId(), Code = code }, citizen)).Dossier,
        };
        var moved = 0;
        foreach (var (action, call) in calls)
        {
            foreach (var status in Enum.GetValues<Domain.DossierStatus>())
            {
                // The residence confirmation changes no registry row, so every status can reach IssueResult's effect-free path.
                var dossier = await World.DossierAsync(commune, applicant, "001090000030", status, "BCA-L4-09", resumeStatus: Domain.DossierStatus.Received);
                var expected = DossierStateMachine.Next(action, status, Domain.DossierStatus.Received);
                if (expected is { } to)
                {
                    var after = await call(dossier.Code);
                    Assert.True((int)to == (int)after.Status, $"{action} from {status}: {after.Status}, expected {to}");
                    moved++;
                }
                else
                {
                    var refused = await Assert.ThrowsAsync<RpcException>(() => call(dossier.Code));
                    Assert.True(refused.StatusCode == StatusCode.FailedPrecondition, $"{action} from {status}: {refused.Status}");
                    Assert.Contains(Domain.DossierStatuses.NameVi(status), refused.Status.Detail, StringComparison.Ordinal);
                }
            }
        }

        Assert.Equal(15, moved);
    }

    [Fact]
    public async Task StaleVersion_IsAborted_NamingTheCurrentStatusAndVersion()
    {
        var commune = await World.CommuneAsync();
        var dossier = await World.DossierAsync(commune, Guid.NewGuid(), "001090000005", status: Domain.DossierStatus.Received);
        var processing = await World.OfficialAsync(commune.Code, Role.ProcessingOfficer);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Dossiers.StartProcessingAsync(
            new StartProcessingRequest { RequestId = NewId(), Code = dossier.Code, ExpectedVersion = 7 }, processing).ResponseAsync);

        Assert.Equal(StatusCode.Aborted, refused.StatusCode);
        Assert.Contains("Đã tiếp nhận", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("1", refused.GetRpcStatus()!.GetDetail<ErrorInfo>().Metadata["version"]);
    }

    [Fact]
    public async Task Approve_ReceivedDossier_IsFailedPreconditionNamingTheStatus_AndChangesNothing()
    {
        var commune = await World.CommuneAsync();
        var dossier = await World.DossierAsync(commune, Guid.NewGuid(), "001090000006", status: Domain.DossierStatus.Received);
        var leader = await World.OfficialAsync(commune.Code, Role.ApprovingLeader);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Dossiers.ApproveDossierAsync(
            new ApproveDossierRequest { RequestId = NewId(), Code = dossier.Code }, leader).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("Đã tiếp nhận", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(ProcessingReasons.TransitionNotAllowed, refused.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(1, (await World.ReadDossierAsync(dossier.Code)).Version);
    }

    [Fact]
    public async Task Reject_WithoutReasonOrDocuments_IsInvalidArgumentWithAViolationEach()
    {
        var commune = await World.CommuneAsync();
        var intake = await World.OfficialAsync(commune.Code, Role.IntakeOfficer);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Dossiers.RejectDossierAsync(
            new RejectDossierRequest { RequestId = "not-a-uuid", Code = "bad code", Reason = "  ", ExpectedVersion = -1 }, intake).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var fields = refused.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field).ToHashSet();
        Assert.Equal(["code", "documents_to_add", "expected_version", "reason", "request_id"], fields.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Reject_ReasonTooLong_AndTooManyDocuments_AreRefused()
    {
        var commune = await World.CommuneAsync();
        var intake = await World.OfficialAsync(commune.Code, Role.IntakeOfficer);
        var request = new RejectDossierRequest { RequestId = NewId(), Code = "X1-261130-0001", Reason = new string('x', 2001) };
        request.DocumentsToAdd.AddRange(Enumerable.Range(0, 21).Select(i => $"Giấy {i}"));

        var refused = await Assert.ThrowsAsync<RpcException>(() => Dossiers.RejectDossierAsync(request, intake).ResponseAsync);

        var violations = refused.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations;
        Assert.Contains(violations, v => v.Field == "reason" && v.Reason == "TOO_LONG");
        Assert.Contains(violations, v => v.Field == "documents_to_add" && v.Reason == "TOO_MANY");
    }

    [Fact]
    public async Task UnknownCode_IsNotFound()
    {
        var commune = await World.CommuneAsync();
        var intake = await World.OfficialAsync(commune.Code, Role.IntakeOfficer);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Dossiers.ReceiveDossierAsync(
            new ReceiveDossierRequest { RequestId = NewId(), Code = $"{commune.Code}-261130-9999" }, intake).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task Official_OfAnotherProvince_IsDeniedOutsideAgencyScope_LikeARegistryLookup()
    {
        var commune = await World.CommuneAsync();
        var dossier = await World.DossierAsync(commune, Guid.NewGuid(), "001090000007");
        var elsewhere = await World.OfficialAsync("P34-79", Role.IntakeOfficer);
        var province = await World.OfficialAsync("P34-01", Role.IntakeOfficer);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Dossiers.ReceiveDossierAsync(
            new ReceiveDossierRequest { RequestId = NewId(), Code = dossier.Code }, elsewhere).ResponseAsync);
        var received = await Dossiers.ReceiveDossierAsync(new ReceiveDossierRequest { RequestId = NewId(), Code = dossier.Code }, province);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal(AccessReasons.OutsideAgency, refused.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(DossierStatus.Received, received.Dossier.Status);
    }

    [Fact]
    public async Task Withdraw_ByTheApplicant_BeforeProcessing_IsWithdrawn_ByAnotherCitizenDenied_AfterProcessingRefused()
    {
        var commune = await World.CommuneAsync();
        var applicant = Guid.NewGuid();
        var own = await World.DossierAsync(commune, applicant, "001090000008", status: Domain.DossierStatus.Received);
        var started = await World.DossierAsync(commune, applicant, "001090000008", status: Domain.DossierStatus.Processing);
        var citizen = await World.CitizenAsync(applicant, "001090000008");
        var stranger = await World.CitizenAsync(Guid.NewGuid(), "001090000009");

        var denied = await Assert.ThrowsAsync<RpcException>(() => Dossiers.WithdrawDossierAsync(new WithdrawDossierRequest { RequestId = NewId(), Code = own.Code }, stranger).ResponseAsync);
        var withdrawn = await Dossiers.WithdrawDossierAsync(new WithdrawDossierRequest { RequestId = NewId(), Code = own.Code, Reason = "Nộp nhầm thủ tục" }, citizen);
        var tooLate = await Assert.ThrowsAsync<RpcException>(() => Dossiers.WithdrawDossierAsync(new WithdrawDossierRequest { RequestId = NewId(), Code = started.Code }, citizen).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, AccessReasons.NotOwnRecord), (denied.StatusCode, denied.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason));
        Assert.Equal((DossierStatus.Withdrawn, "Đã rút", Role.Citizen), (withdrawn.Dossier.Status, withdrawn.Dossier.StatusName, withdrawn.Event.ActorRole));
        Assert.Equal(StatusCode.FailedPrecondition, tooLate.StatusCode);
        Assert.Contains("Đang xử lý", tooLate.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestSupplement_ThenSupplement_StopsTheClock_AndMovesTheDueDateByTheWait()
    {
        var commune = await World.CommuneAsync();
        var applicant = Guid.NewGuid();
        // Submitted on Monday 2026-11-02 09:00 in Vietnam, 3 working days (temporary residence).
        var submitted = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(7));
        var stopFrom = new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.FromHours(7));
        var dossier = await World.DossierAsync(commune, applicant, "001090000010", status: Domain.DossierStatus.SupplementRequested,
            submittedAt: submitted, dueAt: new DateTimeOffset(2026, 11, 5, 17, 0, 0, TimeSpan.FromHours(7)),
            resumeStatus: Domain.DossierStatus.Processing, clockStops: $"[[{stopFrom.ToUnixTimeMilliseconds()},null]]");
        var citizen = await World.CitizenAsync(applicant, "001090000010");

        var response = await Dossiers.SupplementDossierAsync(new SupplementDossierRequest
        {
            RequestId = NewId(), Code = dossier.Code, Form = { ["address_detail"] = "Số 5 ngõ 10 phố Huế" }, Note = "Đã bổ sung địa chỉ",
        }, citizen);

        Assert.Equal(DossierStatus.Processing, response.Dossier.Status);
        Assert.Equal("Số 5 ngõ 10 phố Huế", response.Dossier.Form["address_detail"]);
        var stored = await World.ReadDossierAsync(dossier.Code);
        Assert.Null(stored.ResumeStatus);
        Assert.DoesNotContain("null", stored.ClockStops, StringComparison.Ordinal);
        // The due date is the statutory 3 working days from the clock's start, without the sessions the stop touched.
        var stops = ClockStops.Parse(stored.ClockStops).Closed();
        Assert.Equal(stopFrom, Assert.Single(stops).From);
        var calendar = await CalendarOfAsync(2026, 2027);
        var expected = Deadlines.DueAfterWorkingDays(submitted, 3, IntakeSchedule.For(ScheduleKind.Residence, new CalendarOptions()), calendar, stops);
        Assert.Equal(expected, stored.DueAt);
        Assert.True(stored.DueAt > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Supplement_WithUploadedAttachments_TakesThemUp_AndNamesThemInTheEvent()
    {
        var commune = await World.CommuneAsync();
        var applicant = Guid.NewGuid();
        var dossier = await World.DossierAsync(commune, applicant, "001090000012", status: Domain.DossierStatus.SupplementRequested,
            resumeStatus: Domain.DossierStatus.Received, clockStops: $"[[{DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds()},null]]");
        var upload = new Domain.AttachmentRecord
        {
            Id = Guid.NewGuid(), OwnerAccountId = applicant, RequestId = NewId(), FileName = "hop-dong.pdf", ContentType = "application/pdf",
            Size = 1234, Sha256 = new string('a', 64), DocumentName = "Hợp đồng thuê nhà", UploadedAt = DateTimeOffset.UtcNow,
        };
        var othersUpload = new Domain.AttachmentRecord
        {
            Id = Guid.NewGuid(), OwnerAccountId = Guid.NewGuid(), RequestId = NewId(), FileName = "x.pdf", ContentType = "application/pdf",
            Size = 1, Sha256 = new string('b', 64), DocumentName = "Giấy khác", UploadedAt = DateTimeOffset.UtcNow,
        };
        await World.WithDbAsync(async db =>
        {
            db.Set<Domain.AttachmentRecord>().AddRange(upload, othersUpload);
            await db.SaveChangesAsync();
        });
        var citizen = await World.CitizenAsync(applicant, "001090000012");

        var refused = await Assert.ThrowsAsync<RpcException>(() => Dossiers.SupplementDossierAsync(
            new SupplementDossierRequest { RequestId = NewId(), Code = dossier.Code, AttachmentIds = { upload.Id.ToString("D"), othersUpload.Id.ToString("D") } }, citizen).ResponseAsync);
        var response = await Dossiers.SupplementDossierAsync(
            new SupplementDossierRequest { RequestId = NewId(), Code = dossier.Code, AttachmentIds = { upload.Id.ToString("D") } }, citizen);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("attachment_ids[1]", Assert.Single(refused.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
        Assert.Equal(DossierStatus.Received, response.Dossier.Status);
        Assert.Equal(["Hợp đồng thuê nhà"], response.Event.Documents);
        Assert.Equal(upload.Id.ToString("D"), Assert.Single(response.Dossier.Attachments).Id);
    }

    [Fact]
    public async Task Supplement_FormBeyondItsBounds_IsInvalidArgument()
    {
        var commune = await World.CommuneAsync();
        var applicant = Guid.NewGuid();
        var dossier = await World.DossierAsync(commune, applicant, "001090000013", status: Domain.DossierStatus.SupplementRequested, resumeStatus: Domain.DossierStatus.Received);
        var citizen = await World.CitizenAsync(applicant, "001090000013");
        var request = new SupplementDossierRequest { RequestId = NewId(), Code = dossier.Code, Form = { ["address_detail"] = new string('x', 2001) } };
        foreach (var i in Enumerable.Range(0, 50))
        {
            request.Form[$"field_{i}"] = "x";
        }

        var tooMany = await Assert.ThrowsAsync<RpcException>(() => Dossiers.SupplementDossierAsync(request, citizen).ResponseAsync);
        request.Form.Clear();
        request.Form["address_detail"] = new string('x', 2001);
        var tooLong = await Assert.ThrowsAsync<RpcException>(() => Dossiers.SupplementDossierAsync(request, citizen).ResponseAsync);

        Assert.Equal("TOO_MANY", Assert.Single(tooMany.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Reason);
        Assert.Equal("form[address_detail]", Assert.Single(tooLong.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
        Assert.Equal(1, (await World.ReadDossierAsync(dossier.Code)).Version);
    }

    private async Task<WorkingCalendar> CalendarOfAsync(params int[] years)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CalendarStore>().WorkingCalendarAsync(years, CancellationToken.None);
    }

    [Fact]
    public async Task RequestSupplement_FromProcessing_OpensAClockStop_AndRemembersWhereItCameFrom()
    {
        var commune = await World.CommuneAsync();
        var dossier = await World.DossierAsync(commune, Guid.NewGuid(), "001090000011", status: Domain.DossierStatus.Processing);
        var processing = await World.OfficialAsync(commune.Code, Role.ProcessingOfficer);

        var response = await Dossiers.RequestSupplementAsync(new RequestSupplementRequest
        {
            RequestId = NewId(), Code = dossier.Code, Reason = "Ảnh chụp hợp đồng thuê nhà không đọc được.", DocumentsToAdd = { "Hợp đồng thuê nhà (bản chụp rõ)" },
        }, processing);

        Assert.Equal(DossierStatus.SupplementRequested, response.Dossier.Status);
        Assert.Equal(["Hợp đồng thuê nhà (bản chụp rõ)"], response.Dossier.SupplementRequest.DocumentsToAdd);
        Assert.Equal(["Hợp đồng thuê nhà (bản chụp rõ)"], response.Event.Documents);
        var stored = await World.ReadDossierAsync(dossier.Code);
        Assert.Equal("processing", stored.ResumeStatus);
        Assert.EndsWith(",null]]", stored.ClockStops, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullCycle_ReceiveToReturn_ChainsEveryEvent()
    {
        var commune = await World.CommuneAsync();
        var resident = await World.CitizenAsync(commune);
        var applicant = Guid.NewGuid();
        var dossier = await World.DossierAsync(commune, applicant, resident.IdNumber, procedureCode: "BCA-L4-09");
        var intake = await World.OfficialAsync(commune.Code, Role.IntakeOfficer);
        var processing = await World.OfficialAsync(commune.Code, Role.ProcessingOfficer);
        var leader = await World.OfficialAsync(commune.Code, Role.ApprovingLeader);

        await Dossiers.ReceiveDossierAsync(new ReceiveDossierRequest { RequestId = NewId(), Code = dossier.Code }, intake);
        await Dossiers.StartProcessingAsync(new StartProcessingRequest { RequestId = NewId(), Code = dossier.Code }, processing);
        await Dossiers.ApproveDossierAsync(new ApproveDossierRequest { RequestId = NewId(), Code = dossier.Code, Note = "Đồng ý" }, leader);
        var issued = await Dossiers.IssueResultAsync(new IssueResultRequest { RequestId = NewId(), Code = dossier.Code, DocumentNumber = "123/XN-CAP", Summary = "Xác nhận cư trú" }, leader);
        var returned = await Dossiers.ReturnResultAsync(new ReturnResultRequest { RequestId = NewId(), Code = dossier.Code }, intake);

        Assert.Equal(("CT07", "123/XN-CAP"), (issued.Dossier.Result.FormCode, issued.Dossier.Result.DocumentNumber));
        Assert.Equal((DossierStatus.ResultReturned, "Đã trả kết quả", 6L), (returned.Dossier.Status, returned.Dossier.StatusName, returned.Dossier.Version));
        Assert.NotNull(returned.Dossier.Result.ReturnedAt);
        var events = await World.EventsAsync(dossier.Id);
        Assert.Equal(["submit", "receive", "start_processing", "approve", "issue_result", "return_result"], events.Select(e => e.Action));
        Assert.True(HistoryChain.Verify(await World.ReadDossierAsync(dossier.Code), events).Intact);
    }
}

public sealed class DossierProcessingOnSqliteTests : DossierProcessingTests
{
    protected override Task<InProcessServer> StartServerAsync() => InProcessServer.StartAsync(null, "--Dvc:Population:DemoCitizens=0");
}

[Collection(PostgresCollection.Name)]
public sealed class DossierProcessingOnPostgresTests(PostgresCluster cluster) : DossierProcessingTests
{
    protected override async Task<InProcessServer> StartServerAsync()
        => await InProcessServer.StartAsync(await cluster.CreateDatabaseAsync());
}
