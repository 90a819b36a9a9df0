using System.Globalization;
using ExecutionTrap.Cli;
using MimeKit;

namespace ExecutionTrap.IntegrationTests.Reports;

/// <summary>`etrap analyze … --email-to … --smtp …`, run in process through the CLI's entry point, against a real SMTP server.</summary>
public sealed class AnalyzeEmailTests(SmtpSinkFixture sink) : IClassFixture<SmtpSinkFixture>
{
    [Fact]
    public async Task Analyze_SendsTheWeeksReportToTheSmtpServer_WhenEmailToAndSmtpAreGiven()
    {
        var sample = Path.Combine(RepositoryRoot(), "samples", "leader-month.ics");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(new StringReader(""), output, error);

        var exit = await EtrapCli.RunAsync(
            ["analyze", sample, "--week", "2026-W46", "--email-to", "x@example.com", "--smtp", $"127.0.0.1:{sink.Port.ToString(CultureInfo.InvariantCulture)}"],
            console,
            CancellationToken.None);

        Assert.True(exit == 0, $"exit {exit}: {error}");
        var message = sink.Received($"weekly-report.2026-W46.{Guid.Empty:N}@localhost");
        Assert.NotNull(message);
        Assert.Equal("x@example.com", message.To.Mailboxes.Single().Address);
        Assert.Matches(@"^Execution score \d+ \(target 50\) — week 46$", message.Subject);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.True(Assert.IsType<TextPart>(alternative[0]).IsPlain);
        var related = Assert.IsType<MultipartRelated>(alternative[1]);
        Assert.True(Assert.IsType<TextPart>(related.Root).IsHtml);
        Assert.Contains(related, part => part.ContentId == "trend" && part.ContentType.MimeType == "image/png");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ExecutionTrap.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (the folder with ExecutionTrap.sln) was not found above the test binaries.");
    }
}
