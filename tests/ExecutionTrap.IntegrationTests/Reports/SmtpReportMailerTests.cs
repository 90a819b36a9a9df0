using System.Net;
using System.Net.Sockets;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports.Delivery;
using Microsoft.Extensions.DependencyInjection;

namespace ExecutionTrap.IntegrationTests.Reports;

public sealed class SmtpReportMailerTests(SmtpSinkFixture sink) : IClassFixture<SmtpSinkFixture>
{
    private static readonly IsoWeek Week = new(2026, 47);

    [Fact]
    public async Task SendAsync_DeliversTheReport_ThroughARealSmtpServer()
    {
        using var host = ReportsTestHost.Build(Path.GetTempPath(), Settings(sink.Port));
        var sender = host.Services.GetRequiredService<WeeklyReportSender>();

        var sent = await sender.SendAsync(ReportsTestHost.Report(Guid.NewGuid(), Week), "ana@example.com", CancellationToken.None);

        var received = sink.Received(sent.MessageId!);
        Assert.NotNull(received);
        ReportAssertions.IsCompleteWeeklyReport(received, sent.MessageId);
    }

    [Fact]
    public async Task SendAsync_ThrowsMailboxRejected_WhenTheServerRefusesTheRecipientWith550()
    {
        using var host = ReportsTestHost.Build(Path.GetTempPath(), Settings(sink.Port));
        var sender = host.Services.GetRequiredService<WeeklyReportSender>();
        var report = ReportsTestHost.Report(Guid.NewGuid(), Week);

        var rejected = await Assert.ThrowsAsync<MailboxRejectedException>(() => sender.SendAsync(report, "bounce-ana@example.com", CancellationToken.None));

        Assert.Equal("bounce-ana@example.com", rejected.Address);
        Assert.Equal(550, rejected.SmtpStatus);
        Assert.Null(sink.Received($"weekly-report.2026-W47.{report.Leader.Id:N}@example.com"));
    }

    [Fact]
    public async Task SendAsync_ThrowsSomethingElse_WhenTheServerCannotBeReached()
    {
        // Unreachable is transient: the job must retry, not mark the leader's address as bounced.
        using var host = ReportsTestHost.Build(Path.GetTempPath(), Settings(ClosedPort()));
        var sender = host.Services.GetRequiredService<WeeklyReportSender>();

        var failure = await Record.ExceptionAsync(() => sender.SendAsync(ReportsTestHost.Report(Guid.NewGuid(), Week), "ana@example.com", CancellationToken.None));

        Assert.NotNull(failure);
        Assert.IsNotType<MailboxRejectedException>(failure);
    }

    [Fact]
    public void AddReports_ChoosesSmtp_WhenAHostIsConfigured()
    {
        using var host = ReportsTestHost.Build(Path.GetTempPath(), Settings(sink.Port));

        var mailer = host.Services.GetRequiredService<IReportMailer>();

        Assert.IsType<SmtpReportMailer>(mailer);
    }

    private static Dictionary<string, string?> Settings(int port) => new()
    {
        ["Reports:From"] = "ExecutionTrap <reports@example.com>",
        ["Reports:PublicBaseUrl"] = "http://reports.test",
        ["Reports:UnsubscribeKey"] = ReportsTestHost.Key,
        ["Reports:Smtp:Host"] = "127.0.0.1",
        ["Reports:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Reports:Smtp:StartTls"] = "None",
        ["Reports:Smtp:TimeoutSeconds"] = "10",
    };

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
