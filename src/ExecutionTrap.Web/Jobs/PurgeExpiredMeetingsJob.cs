using ExecutionTrap.Storage;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace ExecutionTrap.Web.Jobs;

/// <summary>
/// Deletes the meetings that ended more than <see cref="RetentionOptions.Months"/> ago, in every organisation.
/// Safe to run twice: a second run finds nothing older. A leader's corrections of single meetings go with them;
/// series corrections stay, as they still apply to the occurrences to come.
/// </summary>
internal sealed partial class PurgeExpiredMeetingsJob(
    ExecutionTrapDbContext db,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<PurgeExpiredMeetingsJob> logger)
{
    public const string Id = "purge-expired-meetings";

    /// <summary>Rows deleted per statement, so a first purge of years of history holds no long lock.</summary>
    internal const int BatchSize = 5000;

    [Queue("default")]
    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = Cutoff(Instant.FromDateTimeOffset(time.GetUtcNow()), options.Value.Months);
        var total = 0;
        var expired = db.Meetings.Where(m => m.End < cutoff);
        while (true)
        {
            // The batch is bounded by id, not listed: a list of thousands of ids would be thousands of SQL parameters.
            var batch = await expired.OrderBy(m => m.Id).Select(m => m.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            var last = batch[^1];
            total += await expired.Where(m => m.Id <= last).ExecuteDeleteAsync(cancellationToken);
        }

        LogPurged(total, cutoff);
    }

    /// <summary>The same day <paramref name="months"/> calendar months back, at midnight UTC.</summary>
    internal static Instant Cutoff(Instant now, int months) =>
        now.InUtc().Date.PlusMonths(-months).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} meetings that ended before {Cutoff}")]
    private partial void LogPurged(int count, Instant cutoff);
}
