using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports.Delivery;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace ExecutionTrap.IntegrationTests.Reports;

public sealed class PickupFolderReportMailerTests : IDisposable
{
    private static readonly IsoWeek Week = new(2026, 47);

    private readonly string _root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "etrap-pickup-" + Guid.NewGuid().ToString("N"))).FullName;

    [Fact]
    public async Task SendAsync_WritesAnEmlMimeKitReads_WithBothAlternativesTheChartAndTheHeaders()
    {
        using var host = ReportsTestHost.Build(_root, Settings());
        var sender = host.Services.GetRequiredService<WeeklyReportSender>();
        var leaderId = Guid.NewGuid();

        var sent = await sender.SendAsync(ReportsTestHost.Report(leaderId, Week), "ana@example.com", CancellationToken.None);

        var file = Assert.Single(Directory.GetFiles(Path.Combine(_root, "App_Data", "mail")));
        Assert.EndsWith(".eml", file, StringComparison.Ordinal);
        var message = await MimeMessage.LoadAsync(file);
        ReportAssertions.IsCompleteWeeklyReport(message, sent.MessageId);
        Assert.Equal($"weekly-report.2026-W47.{leaderId:N}@example.com", message.MessageId);
    }

    [Fact]
    public async Task SendAsync_WritesASecondFile_WithTheSameMessageId_WhenTheReportIsSentAgain()
    {
        // A retried job must not overwrite the first file, and the resend must be recognisable as one.
        using var host = ReportsTestHost.Build(_root, Settings());
        var sender = host.Services.GetRequiredService<WeeklyReportSender>();
        var report = ReportsTestHost.Report(Guid.NewGuid(), Week);

        await sender.SendAsync(report, "ana@example.com", CancellationToken.None);
        await sender.SendAsync(report, "ana@example.com", CancellationToken.None);

        var files = Directory.GetFiles(Path.Combine(_root, "App_Data", "mail"));
        Assert.Equal(2, files.Length);
        Assert.All(files, f => Assert.Matches(@"^\d{8}T\d{6}Z-weekly-report\.2026-W47\.[0-9a-f]{32}-example\.com-[0-9a-f]{32}\.eml$", Path.GetFileName(f)));
        var ids = files.Select(f => MimeMessage.Load(f).MessageId).Distinct();
        Assert.Single(ids);
    }

    [Fact]
    public async Task SendAsync_WritesSevenBitClean_SoAnyRelayCanPickItUp()
    {
        using var host = ReportsTestHost.Build(_root, Settings());
        var sender = host.Services.GetRequiredService<WeeklyReportSender>();

        await sender.SendAsync(ReportsTestHost.Report(Guid.NewGuid(), Week), "ana@example.com", CancellationToken.None);

        var bytes = await File.ReadAllBytesAsync(Assert.Single(Directory.GetFiles(Path.Combine(_root, "App_Data", "mail"))));
        Assert.All(bytes, b => Assert.True(b < 0x80));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static Dictionary<string, string?> Settings() => new()
    {
        ["Reports:From"] = "ExecutionTrap <reports@example.com>",
        ["Reports:PublicBaseUrl"] = "http://reports.test/",
        ["Reports:UnsubscribeKey"] = ReportsTestHost.Key,
    };
}
