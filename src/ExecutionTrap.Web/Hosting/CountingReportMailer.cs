using ExecutionTrap.Reports.Delivery;
using MimeKit;

namespace ExecutionTrap.Web.Hosting;

/// <summary>Counts every email handed on successfully, whichever job sent it.</summary>
internal sealed class CountingReportMailer(IReportMailer inner, ExecutionTrapMetrics metrics) : IReportMailer
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        await inner.SendAsync(message, cancellationToken);
        metrics.EmailSent();
    }
}
