using ExecutionTrap.Reports;
using ExecutionTrap.Reports.Delivery;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Web.Hosting;

/// <summary>
/// When an SMTP relay is configured, it greets us and answers EHLO within a short timeout. The answer is
/// kept for a while so that every probe of every pod does not open a connection to the relay.
/// </summary>
internal sealed class SmtpHealthCheck(IOptions<ReportsOptions> reports, IOptions<OperationsOptions> operations, TimeProvider time) : IHealthCheck
{
    private (HealthCheckResult Result, DateTimeOffset At)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var smtp = reports.Value.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            return HealthCheckResult.Healthy("No SMTP relay is configured; reports go to the pickup folder.");
        }

        var now = time.GetUtcNow();
        var last = _last;
        if (last is { } cached && now - cached.At < TimeSpan.FromSeconds(operations.Value.SmtpCheckCacheSeconds))
        {
            return cached.Result;
        }

        var result = await ProbeAsync(smtp.Host, smtp, cancellationToken);
        _last = (result, now);
        return result;
    }

    private async Task<HealthCheckResult> ProbeAsync(string host, SmtpOptions smtp, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(operations.Value.SmtpCheckTimeoutSeconds);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var client = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
        try
        {
            // Connecting reads the greeting and sends EHLO (and STARTTLS when configured), nothing more.
            await client.ConnectAsync(host, smtp.Port, SmtpReportMailer.SocketOptionsFor(smtp), deadline.Token);
            await client.DisconnectAsync(quit: true, deadline.Token);
            return HealthCheckResult.Healthy($"{host}:{smtp.Port} answers EHLO.");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The SMTP relay {host}:{smtp.Port} did not answer EHLO within {timeout.TotalSeconds:0} s: {e.Message}");
        }
    }
}
