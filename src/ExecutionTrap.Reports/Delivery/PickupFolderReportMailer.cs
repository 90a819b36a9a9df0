using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ExecutionTrap.Reports.Delivery;

/// <summary>
/// Writes each message as an .eml file into a folder, for development and for relays that pick files up.
/// The file appears whole or not at all: it is written under a hidden temporary name and then renamed.
/// </summary>
internal sealed partial class PickupFolderReportMailer(
    IOptions<ReportsOptions> options,
    TimeProvider time,
    ILogger<PickupFolderReportMailer> logger) : IReportMailer
{
    private const int MaxIdLength = 80;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(options.Value.PickupFolder);
        Directory.CreateDirectory(folder);

        // What lands in the folder may be relayed by anything: keep it 7-bit clean like an SMTP send to an old server.
        message.Prepare(EncodingConstraint.SevenBit);
        var name = FileNameFor(message, time.GetUtcNow());
        var temporary = Path.Combine(folder, "." + name + ".tmp");
        var final = Path.Combine(folder, name);
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await message.WriteToAsync(FormatOptions.Default, stream, cancellationToken);
            }

            File.Move(temporary, final);
        }
        finally
        {
            File.Delete(temporary);
        }

        LogWritten(logger, message.MessageId, final);
    }

    /// <summary>A name that sorts by time, says which message it is, never collides and is safe on any file system.</summary>
    internal static string FileNameFor(MimeMessage message, DateTimeOffset now)
    {
        var id = new string((message.MessageId ?? "message").Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-').ToArray());
        id = id.Trim('.', '-');
        if (id.Length > MaxIdLength)
        {
            id = id[..MaxIdLength];
        }

        var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        return $"{stamp}-{id}-{Guid.NewGuid():N}.eml";
    }

    [LoggerMessage(EventId = 4121, Level = LogLevel.Information, Message = "Report {MessageId} written to {Path}")]
    private static partial void LogWritten(ILogger logger, string? messageId, string path);
}
