using ExecutionTrap.IntegrationTests.Reports;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.Reports.Delivery;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace ExecutionTrap.IntegrationTests.Jobs;

/// <summary>The report job as Hangfire runs it: the real host, SQLite, and a real SMTP server at the end.</summary>
[Collection(ReportJobsGroup.Name)]
public sealed class SendWeeklyReportJobTests(SmtpSinkFixture sink) : IClassFixture<SmtpSinkFixture>, IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"etrap-report-jobs-{Guid.NewGuid():N}");
    private readonly FlakyReportMailer _flaky = new();
    private ReportAppFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = new ReportAppFactory(ReportAppFactory.Sqlite(_folder, sink.Port), services => services.AddSingleton<IReportMailer>(provider =>
        {
            _flaky.Inner = provider.GetRequiredService<SmtpReportMailer>();
            return _flaky;
        }));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RunAsync_DeliversTheStoredWeekThroughSmtp_WithBothAlternativesTheChartTheHeadersAndEncodedTitles()
    {
        var leaderId = await _app.SeedLeaderAsync();

        await RunJobAsync(leaderId);

        var message = Assert.Single(ReportAppFactory.Received(sink, ReportAppFactory.MessageId(leaderId, ReportAppFactory.Week)));
        ReportAssertions.IsCompleteWeeklyReport(message, ReportAppFactory.MessageId(leaderId, ReportAppFactory.Week));
        var related = Assert.IsType<MultipartRelated>(Assert.IsType<MultipartAlternative>(message.Body)[1]);
        var chart = related.OfType<MimePart>().Single(p => p.ContentId == "trend");
        Assert.Equal(ContentDisposition.Inline, chart.ContentDisposition?.Disposition);
        var delivery = await _app.DeliveryAsync(leaderId, ReportAppFactory.Week);
        Assert.NotNull(delivery);
        Assert.Equal(DeliveryStatus.Sent, delivery.Status);
        Assert.Equal(message.MessageId, delivery.MessageId);
    }

    [Fact]
    public async Task RunAsync_SendsOnce_WhenTheJobRunsAgainAfterASend()
    {
        // Hangfire runs a job again after a worker restart even if it finished: the second run must find the row and stop.
        var leaderId = await _app.SeedLeaderAsync();

        await RunJobAsync(leaderId);
        await RunJobAsync(leaderId);

        Assert.Single(ReportAppFactory.Received(sink, ReportAppFactory.MessageId(leaderId, ReportAppFactory.Week)));
    }

    [Fact]
    public async Task RunAsync_ReleasesTheClaimAndTheRetrySendsOnce_WhenTheMailerThrowsBeforeSending()
    {
        var leaderId = await _app.SeedLeaderAsync();
        _flaky.FailuresLeft = 1;

        await Assert.ThrowsAsync<IOException>(() => RunJobAsync(leaderId));
        var released = await _app.DeliveryAsync(leaderId, ReportAppFactory.Week);
        await RunJobAsync(leaderId);
        await RunJobAsync(leaderId);

        Assert.NotNull(released);
        Assert.Equal(DeliveryStatus.Claimed, released.Status);
        Assert.Equal("", released.ClaimedBy);
        Assert.Single(ReportAppFactory.Received(sink, ReportAppFactory.MessageId(leaderId, ReportAppFactory.Week)));
        var delivery = await _app.DeliveryAsync(leaderId, ReportAppFactory.Week);
        Assert.Equal(DeliveryStatus.Sent, delivery!.Status);
        Assert.Equal(2, delivery.Attempts);
    }

    [Fact]
    public async Task RunAsync_MarksTheAddressBouncedAndEndsWithoutRetry_WhenTheServerRefusesTheRecipientWith550()
    {
        var leaderId = await _app.SeedLeaderAsync(email: "bounce-ana@example.com");

        var failure = await Record.ExceptionAsync(() => RunJobAsync(leaderId));
        await RunJobAsync(leaderId);

        // No exception means Hangfire records a success and never schedules a retry.
        Assert.Null(failure);
        Assert.NotNull((await _app.LeaderAsync(leaderId)).EmailBouncedAt);
        Assert.Equal(DeliveryStatus.Skipped, (await _app.DeliveryAsync(leaderId, ReportAppFactory.Week))!.Status);
        Assert.Empty(ReportAppFactory.Received(sink, ReportAppFactory.MessageId(leaderId, ReportAppFactory.Week)));
        Assert.Equal(1, _flaky.Calls);
    }

    [Fact]
    public async Task RunAsync_SendsAShortQuietWeekNote_WhenNothingWasScoredAndTheLeaderWantsTheNote()
    {
        var leaderId = await _app.SeedLeaderAsync(quiet: true, quietWeekNote: true);

        await RunJobAsync(leaderId);

        var message = Assert.Single(ReportAppFactory.Received(sink, ReportAppFactory.MessageId(leaderId, ReportAppFactory.Week)));
        Assert.Equal("Quiet week — week 47", message.Subject);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
    }

    [Fact]
    public async Task RunAsync_SendsNothingAndClosesTheWeek_WhenNothingWasScoredAndTheLeaderWantsNoNote()
    {
        var leaderId = await _app.SeedLeaderAsync(quiet: true, quietWeekNote: false);

        await RunJobAsync(leaderId);

        Assert.Empty(ReportAppFactory.Received(sink, ReportAppFactory.MessageId(leaderId, ReportAppFactory.Week)));
        Assert.Equal(DeliveryStatus.Skipped, (await _app.DeliveryAsync(leaderId, ReportAppFactory.Week))!.Status);
    }

    [Fact]
    public async Task RunAsync_SendsNothing_WhenTheLeaderUnsubscribedAfterTheJobWasEnqueued()
    {
        var leaderId = await _app.SeedLeaderAsync();
        using var client = _app.CreateClient();
        var token = ExecutionTrap.Reports.Email.UnsubscribeTokens.Create(leaderId, ReportsTestHost.Key);
        using var body = new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]);
        (await client.PostAsync($"/unsubscribe?token={Uri.EscapeDataString(token)}", body)).EnsureSuccessStatusCode();

        await RunJobAsync(leaderId);

        Assert.Empty(ReportAppFactory.Received(sink, ReportAppFactory.MessageId(leaderId, ReportAppFactory.Week)));
        Assert.Null(await _app.DeliveryAsync(leaderId, ReportAppFactory.Week));
    }

    [Fact]
    public async Task ResendEndpoint_ForgetsTheDeliveryAndEnqueuesTheJob_SoTheWeekIsSentASecondTimeWithTheSameMessageId()
    {
        var leaderId = await _app.SeedLeaderAsync();
        await RunJobAsync(leaderId);
        using var client = await SignInAsAdminAsync(leaderId);

        var response = await client.PostAsync($"/api/admin/reports/{leaderId}/2026-W47/resend", null);
        var enqueued = Storage(_app).GetMonitoringApi().EnqueuedJobs("email", 0, 100)
            .Where(j => j.Value.Job.Type == typeof(SendWeeklyReportJob) && (Guid)j.Value.Job.Args[0] == leaderId)
            .ToList();
        var deliveryAfterResend = await _app.DeliveryAsync(leaderId, ReportAppFactory.Week);
        await RunJobAsync(leaderId);

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(enqueued);
        Assert.Null(deliveryAfterResend);
        Assert.Equal(2, ReportAppFactory.Received(sink, ReportAppFactory.MessageId(leaderId, ReportAppFactory.Week)).Count);
    }

    [Fact]
    public async Task BatchJob_SendsEachLeaderOnce_TheSameReportAsTheSingleJob_AndSkipsTheWeeksAlreadySent()
    {
        var sentBefore = await _app.SeedLeaderAsync();
        var first = await _app.SeedLeaderAsync();
        var second = await _app.SeedLeaderAsync();
        await RunJobAsync(sentBefore);

        await RunBatchAsync([sentBefore, first, second]);
        await RunBatchAsync([sentBefore, first, second]);

        foreach (var leaderId in new[] { sentBefore, first, second })
        {
            var message = Assert.Single(ReportAppFactory.Received(sink, ReportAppFactory.MessageId(leaderId, ReportAppFactory.Week)));
            ReportAssertions.IsCompleteWeeklyReport(message, ReportAppFactory.MessageId(leaderId, ReportAppFactory.Week));
            Assert.Equal(DeliveryStatus.Sent, (await _app.DeliveryAsync(leaderId, ReportAppFactory.Week))!.Status);
        }
    }

    [Fact]
    public async Task BatchJob_HandsAFailedLeaderToAJobOfTheirOwn_AndSendsTheOthers()
    {
        Guid[] leaders = [await _app.SeedLeaderAsync(), await _app.SeedLeaderAsync()];
        _flaky.FailuresLeft = 1;

        await RunBatchAsync(leaders);
        var handedOver = Assert.Single(Storage(_app).GetMonitoringApi().EnqueuedJobs("email", 0, 100)
            .Where(j => j.Value.Job.Type == typeof(SendWeeklyReportJob))
            .Select(j => (Guid)j.Value.Job.Args[0]), leaders.Contains);
        var released = await _app.DeliveryAsync(handedOver, ReportAppFactory.Week);
        var sentInBatch = Assert.Single(leaders, l => l != handedOver);
        var receivedInBatch = ReportAppFactory.Received(sink, ReportAppFactory.MessageId(sentInBatch, ReportAppFactory.Week));
        await RunJobAsync(handedOver);

        Assert.Equal("", released!.ClaimedBy);
        Assert.Single(receivedInBatch);
        Assert.Single(ReportAppFactory.Received(sink, ReportAppFactory.MessageId(handedOver, ReportAppFactory.Week)));
        Assert.Single(ReportAppFactory.Received(sink, ReportAppFactory.MessageId(sentInBatch, ReportAppFactory.Week)));
    }

    [Fact]
    public async Task ResendEndpoint_Answers404And400_ForAnUnknownLeaderOrABadWeek()
    {
        using var client = await SignInAsAdminAsync(await _app.SeedLeaderAsync());

        var unknown = await client.PostAsync($"/api/admin/reports/{Guid.NewGuid()}/2026-W47/resend", null);
        var badWeek = await client.PostAsync($"/api/admin/reports/{Guid.NewGuid()}/2026-W99/resend", null);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badWeek.StatusCode);
    }

    // The resend is an admin's action within their own organisation: the seeded leader becomes that admin.
    private async Task<HttpClient> SignInAsAdminAsync(Guid leaderId)
    {
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ExecutionTrap.Storage.ExecutionTrapDbContext>();
            await db.Leaders.Where(l => l.Id == leaderId).ExecuteUpdateAsync(s => s.SetProperty(l => l.IsAdmin, true));
        }

        return await DevSignIn.SignInAsync(_app, (await _app.LeaderAsync(leaderId)).Email);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static JobStorage Storage(ReportAppFactory app) => app.Services.GetRequiredService<JobStorage>();

    private async Task RunBatchAsync(Guid[] leaderIds)
    {
        await using var scope = _app.Scope();
        await scope.ServiceProvider.GetRequiredService<SendWeeklyReportBatchJob>().RunAsync(leaderIds, ReportAppFactory.Week.ToString(), CancellationToken.None);
    }

    private async Task RunJobAsync(Guid leaderId)
    {
        await using var scope = _app.Scope();
        await scope.ServiceProvider.GetRequiredService<SendWeeklyReportJob>().RunAsync(leaderId, ReportAppFactory.Week.ToString(), CancellationToken.None);
    }
}

/// <summary>The real mailer behind a switch that makes the next sends fail as a dropped connection would.</summary>
internal sealed class FlakyReportMailer : IReportMailer
{
    private int _calls;

    public IReportMailer? Inner { get; set; }

    public int FailuresLeft { get; set; }

    public int Calls => _calls;

    public Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (FailuresLeft > 0)
        {
            FailuresLeft--;
            throw new IOException("The connection to the mail server was reset.");
        }

        return Inner!.SendAsync(message, cancellationToken);
    }
}

[CollectionDefinition(Name)]
public sealed class ReportJobsGroup
{
    public const string Name = "report-jobs";
}
