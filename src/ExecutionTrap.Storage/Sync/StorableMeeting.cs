using System.Security.Cryptography;
using System.Text;
using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using Microsoft.Data.Sqlite;
using NodaTime;
using Npgsql;

namespace ExecutionTrap.Storage.Sync;

/// <summary>
/// Makes a provider's event fit the columns it is stored in, so one odd event never fails a page: characters a
/// PostgreSQL text column refuses are dropped, ids too long or unclean for their column are replaced by a stable
/// hash, other text is cut to its column. Both databases get the same values, so a sync behaves the same on each.
/// </summary>
internal static class StorableMeeting
{
    /// <summary>The length of the <c>ProviderId</c> and <c>SeriesId</c> columns.</summary>
    public const int IdLength = 512;

    /// <summary>The length of the <c>Title</c> column.</summary>
    public const int TitleLength = 1000;

    private const string HashPrefix = "sha256:";

    // NodaTime instants reach further than the DateTime the columns hold; a day of margin keeps time-zone math inside.
    private static readonly Instant Earliest = Instant.FromUtc(1, 1, 2, 0, 0);
    private static readonly Instant Latest = Instant.FromUtc(9999, 12, 30, 0, 0);

    /// <summary>The meeting as it can be stored, or null when no form of it can be (its times are outside any calendar).</summary>
    public static Meeting? Prepare(Meeting meeting)
    {
        if (meeting.Start < Earliest || meeting.Start > Latest || meeting.End < Earliest || meeting.End > Latest)
        {
            return null;
        }

        var id = Id(meeting.ProviderId);
        var title = Text(meeting.Title, TitleLength);
        var series = meeting.SeriesId is null ? null : Id(meeting.SeriesId);
        var categories = meeting.ProviderCategories.Any(c => !IsClean(c) || c.Contains('\n', StringComparison.Ordinal))
            ? [.. meeting.ProviderCategories.Select(c => Text(c, null).Replace('\n', ' '))]
            : meeting.ProviderCategories;
        return ReferenceEquals(id, meeting.ProviderId) && ReferenceEquals(title, meeting.Title) && ReferenceEquals(series, meeting.SeriesId) && ReferenceEquals(categories, meeting.ProviderCategories)
            ? meeting
            : meeting with { ProviderId = id, Title = title, SeriesId = series, ProviderCategories = categories };
    }

    /// <summary>The label's evidence quotes the title, so it is cleaned the same way.</summary>
    public static MeetingLabel Prepare(MeetingLabel label) =>
        label.Evidence.All(IsClean) && IsClean(label.DecidedBy)
            ? label
            : label with { Evidence = [.. label.Evidence.Select(e => Text(e, null))], DecidedBy = Text(label.DecidedBy, null) };

    /// <summary>
    /// The id as stored: itself when it fits, otherwise a SHA-256 of it. The same provider id always gives the same
    /// stored id, so the next round's change or removal of the event still finds it.
    /// </summary>
    public static string Id(string providerId) =>
        providerId.Length <= IdLength && IsClean(providerId) && !providerId.StartsWith(HashPrefix, StringComparison.Ordinal)
            ? providerId
            : HashPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(providerId)));

    /// <summary>The text without NUL and unpaired surrogates (PostgreSQL refuses both), cut to <paramref name="maxLength"/> without splitting a pair.</summary>
    public static string Text(string text, int? maxLength)
    {
        var clean = IsClean(text) ? text : Strip(text);
        if (maxLength is not { } max || clean.Length <= max)
        {
            return clean;
        }

        return char.IsHighSurrogate(clean[max - 1]) ? clean[..(max - 1)] : clean[..max];
    }

    /// <summary>
    /// Whether a failed save is about the data of what was saved (a value the column refuses, a broken constraint),
    /// which skipping the event cures, rather than about the database (down, timed out, a deadlock), which it does not.
    /// </summary>
    public static bool IsDataError(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Class 22 is "data exception" (22001 too long, 22021 bad byte), 23 "integrity constraint violation".
                case PostgresException p when p.SqlState.StartsWith("22", StringComparison.Ordinal) || p.SqlState.StartsWith("23", StringComparison.Ordinal):
                // SQLITE_TOOBIG, SQLITE_CONSTRAINT, SQLITE_MISMATCH.
                case SqliteException s when s.SqliteErrorCode is 18 or 19 or 20:
                // A value converter or the driver refused a value before it reached the database.
                case ArgumentException or OverflowException or InvalidCastException or FormatException or EncoderFallbackException:
                    return true;
            }
        }

        return false;
    }

    private static bool IsClean(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return false;
            }

            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }

                return false;
            }
        }

        return true;
    }

    private static string Strip(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                continue;
            }

            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    builder.Append(c).Append(text[i + 1]);
                    i++;
                }

                continue;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
