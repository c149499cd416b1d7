using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Tests.Population;
using GrpcDvc.Tests.Support;
using static GrpcDvc.Tests.Dossiers.Tracking.TrackingServer;
using ServerStatus = GrpcDvc.Server.Dossiers.DossierStatus;

namespace GrpcDvc.Tests.Dossiers.Tracking;

/// <summary>ListMyDossiers, the officials' ListDossiers and the auditors' SearchDossiers: filters, scope, order and keyset paging.</summary>
public abstract class DossierListingTests : IAsyncLifetime
{
    private TrackingServer _server = null!;

    private DossierService.DossierServiceClient Dossiers => _server.Dossiers;

    public async Task InitializeAsync() => _server = await StartAsync(await PostgresAsync());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    [Fact]
    public async Task ListMyDossiers_GivesOnlyTheCitizensOwn_NewestFirst_FilteredByStatus_PageByPage()
    {
        var mine = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            mine.Add((await _server.AddForCitizenAAsync(submittedAfterStart: TimeSpan.FromHours(i))).Code);
        }

        await _server.Rows.AddAsync(_server.CitizenBIdentity.AccountId, _server.CitizenBIdentity.IdNumber!);
        await _server.Rows.ChangeAsync(mine[1], Server.Dossiers.DossierAction.Withdraw, ServerStatus.Withdrawn);

        var all = await PagesAsync(token => Dossiers.ListMyDossiersAsync(new ListMyDossiersRequest { Page = Page(2, token) }, As(CitizenA)).ResponseAsync, r => (r.Dossiers, r.Page));
        var withdrawn = await Dossiers.ListMyDossiersAsync(new ListMyDossiersRequest { Statuses = { DossierStatus.Withdrawn } }, As(CitizenA));

        Assert.Equal(Enumerable.Reverse(mine), all.Select(d => d.Code));
        Assert.Equal(mine[1], Assert.Single(withdrawn.Dossiers).Code);
        Assert.Equal(1, withdrawn.Page.TotalSize);
    }

    [Fact]
    public async Task ListDossiers_ByDefault_CoversTheCallersUnits_EarliestDueFirst_WithoutDueTimeLast()
    {
        var now = DateTimeOffset.UtcNow;
        var late = await _server.AddForCitizenAAsync(dueAt: now + TimeSpan.FromDays(9));
        var none = await _server.AddForCitizenAAsync(noDueTime: true);
        var early = await _server.AddForCitizenAAsync(dueAt: now + TimeSpan.FromDays(1));
        var inDistrict = await _server.AddForCitizenAAsync(unitCode: RegistryTestData.DistrictA, dueAt: now + TimeSpan.FromDays(5));
        var otherProvince = await _server.AddForCitizenAAsync(unitCode: RegistryTestData.ProvinceB, dueAt: now);

        var queue = await PagesAsync(token => Dossiers.ListDossiersAsync(new ListDossiersRequest { Page = Page(1, token) }, As(RegistryServer.OfficerA)).ResponseAsync, r => (r.Dossiers, r.Page));
        var districtOnly = await Dossiers.ListDossiersAsync(new ListDossiersRequest { UnitCode = RegistryTestData.DistrictA }, As(RegistryServer.OfficerA));
        var outside = await Assert.ThrowsAsync<RpcException>(() => Dossiers.ListDossiersAsync(new ListDossiersRequest { UnitCode = RegistryTestData.ProvinceB }, As(RegistryServer.OfficerA)).ResponseAsync);

        Assert.Equal([early.Code, inDistrict.Code, late.Code, none.Code], queue.Select(d => d.Code));
        Assert.Equal(inDistrict.Code, Assert.Single(districtOnly.Dossiers).Code);
        Assert.Equal(StatusCode.PermissionDenied, outside.StatusCode);
        Assert.DoesNotContain(otherProvince.Code, queue.Select(d => d.Code));
    }

    [Fact]
    public async Task ListDossiers_OverdueOnly_AndDueWithinHours_KeepOnlyUnfinishedDossiersInThatWindow()
    {
        var now = DateTimeOffset.UtcNow;
        var overdue = await _server.AddForCitizenAAsync(dueAt: now - TimeSpan.FromHours(5));
        var overdueButDone = await _server.AddForCitizenAAsync(dueAt: now - TimeSpan.FromHours(5));
        await _server.Rows.ChangeAsync(overdueButDone.Code, Server.Dossiers.DossierAction.Reject, ServerStatus.Rejected, "Thiếu giấy tờ");
        var soon = await _server.AddForCitizenAAsync(dueAt: now + TimeSpan.FromHours(10));
        var later = await _server.AddForCitizenAAsync(dueAt: now + TimeSpan.FromHours(50));

        var overdueOnly = await Dossiers.ListDossiersAsync(new ListDossiersRequest { OverdueOnly = true }, As(RegistryServer.OfficerA));
        var within24 = await Dossiers.ListDossiersAsync(new ListDossiersRequest { DueWithinHours = 24 }, As(RegistryServer.OfficerA));

        Assert.Equal([overdue.Code], overdueOnly.Dossiers.Select(d => d.Code));
        Assert.True(overdueOnly.Dossiers[0].Overdue);
        Assert.Equal([soon.Code], within24.Dossiers.Select(d => d.Code));
        Assert.DoesNotContain(later.Code, within24.Dossiers.Select(d => d.Code));
    }

    [Theory]
    [InlineData(DossierSort.SubmittedAt)]
    [InlineData(DossierSort.SubmittedAtDesc)]
    [InlineData(DossierSort.DueAt)]
    public async Task ListDossiers_PagedInAnySort_GivesEveryDossierOnce_InThatOrder(DossierSort sort)
    {
        var now = DateTimeOffset.UtcNow;
        var rows = new List<Server.Dossiers.DossierRecord>();
        for (var i = 0; i < 7; i++)
        {
            // Ties on purpose: two dossiers per instant, so the code must break them.
            rows.Add(await _server.AddForCitizenAAsync(submittedAfterStart: TimeSpan.FromHours(i / 2), dueAt: now + TimeSpan.FromHours(7 - (i / 2)), noDueTime: i == 6));
        }

        var listed = await PagesAsync(token => Dossiers.ListDossiersAsync(new ListDossiersRequest { Sort = sort, Page = Page(3, token) }, As(RegistryServer.OfficerA)).ResponseAsync, r => (r.Dossiers, r.Page));

        var expected = sort switch
        {
            DossierSort.SubmittedAt => rows.OrderBy(r => r.SubmittedAt).ThenBy(r => r.Code, StringComparer.Ordinal),
            DossierSort.SubmittedAtDesc => rows.OrderByDescending(r => r.SubmittedAt).ThenByDescending(r => r.Code, StringComparer.Ordinal),
            _ => rows.OrderBy(r => r.DueAt is null).ThenBy(r => r.DueAt).ThenBy(r => r.Code, StringComparer.Ordinal),
        };
        Assert.Equal(expected.Select(r => r.Code), listed.Select(d => d.Code));
    }

    [Fact]
    public async Task Listings_RefuseAForgedToken_AndATokenMadeForOtherFilters()
    {
        for (var i = 0; i < 3; i++)
        {
            await _server.AddForCitizenAAsync();
        }

        var first = await Dossiers.ListDossiersAsync(new ListDossiersRequest { Page = Page(1, "") }, As(RegistryServer.OfficerA));
        var otherFilters = await Assert.ThrowsAsync<RpcException>(() => Dossiers.ListDossiersAsync(
            new ListDossiersRequest { Page = Page(1, first.Page.NextPageToken), Sort = DossierSort.SubmittedAt }, As(RegistryServer.OfficerA)).ResponseAsync);
        var otherListing = await Assert.ThrowsAsync<RpcException>(() => Dossiers.ListMyDossiersAsync(
            new ListMyDossiersRequest { Page = Page(1, first.Page.NextPageToken) }, As(CitizenA)).ResponseAsync);
        var forged = await Assert.ThrowsAsync<RpcException>(() => Dossiers.ListDossiersAsync(
            new ListDossiersRequest { Page = Page(1, "bm90LWEtdG9rZW4") }, As(RegistryServer.OfficerA)).ResponseAsync);

        Assert.Equal(3, first.Page.TotalSize);
        Assert.All(new[] { otherFilters, otherListing, forged }, e => Assert.Equal(StatusCode.InvalidArgument, e.StatusCode));
    }

    [Fact]
    public async Task SearchDossiers_ByACitizensIdNumber_FindsTheDossiersTheyAreConcernedIn_WithinTheAuditorsUnits()
    {
        var child = IdNumber(70);
        var concerning = await _server.AddForCitizenAAsync(concerned: child);
        var concerningElsewhere = await _server.AddForCitizenAAsync(unitCode: RegistryTestData.ProvinceB, concerned: child);
        await _server.AddForCitizenAAsync();

        var found = await Dossiers.SearchDossiersAsync(new SearchDossiersRequest { CitizenIdNumber = child }, As(RegistryServer.Auditor));
        var foundByB = await Dossiers.SearchDossiersAsync(new SearchDossiersRequest { CitizenIdNumber = child }, As(AuditorB));
        var byApplicant = await Dossiers.SearchDossiersAsync(new SearchDossiersRequest { CitizenIdNumber = _server.CitizenAIdentity.IdNumber }, As(RegistryServer.Auditor));

        Assert.Equal([concerning.Code], found.Dossiers.Select(d => d.Code));
        Assert.Equal([concerningElsewhere.Code], foundByB.Dossiers.Select(d => d.Code));
        Assert.Equal(2, byApplicant.Page.TotalSize);
    }

    [Fact]
    public async Task SearchDossiers_ByPeriodStatusProcedureAndCode_KeepsTheHalfOpenPeriod()
    {
        var a = await _server.AddForCitizenAAsync(submittedAfterStart: TimeSpan.FromDays(1));
        var b = await _server.AddForCitizenAAsync(submittedAfterStart: TimeSpan.FromDays(2));
        var c = await _server.AddForCitizenAAsync(submittedAfterStart: TimeSpan.FromDays(3), procedure: "BCA-L4-04");
        await _server.Rows.ChangeAsync(b.Code, Server.Dossiers.DossierAction.Receive, ServerStatus.Received);

        var period = await Dossiers.SearchDossiersAsync(new SearchDossiersRequest
        {
            SubmittedFrom = Timestamp.FromDateTimeOffset(a.SubmittedAt), SubmittedTo = Timestamp.FromDateTimeOffset(c.SubmittedAt),
        }, As(RegistryServer.Auditor));
        var received = await Dossiers.SearchDossiersAsync(new SearchDossiersRequest { Statuses = { DossierStatus.Received } }, As(RegistryServer.Auditor));
        var procedure = await Dossiers.SearchDossiersAsync(new SearchDossiersRequest { ProcedureCode = "BCA-L4-04" }, As(RegistryServer.Auditor));
        var byCode = await Dossiers.SearchDossiersAsync(new SearchDossiersRequest { Code = a.Code }, As(RegistryServer.Auditor));
        var outsideUnit = await Assert.ThrowsAsync<RpcException>(() => Dossiers.SearchDossiersAsync(new SearchDossiersRequest { UnitCode = RegistryTestData.ProvinceB }, As(RegistryServer.Auditor)).ResponseAsync);
        var badPeriod = await Assert.ThrowsAsync<RpcException>(() => Dossiers.SearchDossiersAsync(new SearchDossiersRequest
        {
            SubmittedFrom = Timestamp.FromDateTimeOffset(c.SubmittedAt), SubmittedTo = Timestamp.FromDateTimeOffset(a.SubmittedAt),
        }, As(RegistryServer.Auditor)).ResponseAsync);

        Assert.Equal([b.Code, a.Code], period.Dossiers.Select(d => d.Code));
        Assert.Equal([b.Code], received.Dossiers.Select(d => d.Code));
        Assert.Equal([c.Code], procedure.Dossiers.Select(d => d.Code));
        Assert.Equal([a.Code], byCode.Dossiers.Select(d => d.Code));
        Assert.Equal(StatusCode.PermissionDenied, outsideUnit.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, badPeriod.StatusCode);
    }

    private static PageRequest Page(int size, string token) => new() { PageSize = size, PageToken = token };

    /// <summary>Follows next_page_token to the end; fails if a page repeats a dossier or the total changes.</summary>
    private static async Task<List<DossierSummary>> PagesAsync<TReply>(Func<string, Task<TReply>> call, Func<TReply, (IEnumerable<DossierSummary> Items, PageInfo Page)> parts)
    {
        var all = new List<DossierSummary>();
        var token = "";
        int? total = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var (items, page) = parts(await call(token));
            all.AddRange(items);
            total ??= page.TotalSize;
            Assert.Equal(total, page.TotalSize);
            if (page.NextPageToken.Length == 0)
            {
                Assert.Equal(total, all.Count);
                Assert.Equal(all.Count, all.Select(d => d.Code).Distinct().Count());
                return all;
            }

            token = page.NextPageToken;
        }

        throw new InvalidOperationException("paging did not end");
    }
}

public sealed class DossierListingOnSqliteTests : DossierListingTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class DossierListingOnPostgresTests(PostgresCluster cluster) : DossierListingTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
