using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage.Sync;
using NodaTime;

namespace ExecutionTrap.UnitTests.Storage;

public sealed class StorableMeetingTests
{
    [Fact]
    public void Id_IsTheSameHashEveryTime_WhenTheIdIsTooLong()
    {
        var uid = new string('u', 600);

        var first = StorableMeeting.Id(uid);
        var again = StorableMeeting.Id(new string('u', 600));

        Assert.Equal(first, again);
        Assert.StartsWith("sha256:", first, StringComparison.Ordinal);
        Assert.True(first.Length <= StorableMeeting.IdLength);
        Assert.NotEqual(first, StorableMeeting.Id(new string('u', 599) + "v"));
    }

    [Theory]
    [InlineData("AAMkADVxSAAA=")]
    [InlineData("3if6lf59tove1e037baa75l54t_20250209T140000Z")]
    public void Id_KeepsTheId_WhenItFits(string id) => Assert.Same(id, StorableMeeting.Id(id));

    [Theory]
    [InlineData("uid\0with-nul")] // PostgreSQL 22021
    [InlineData("sha256:0000")] // a provider id that looks like our hash must not meet one
    public void Id_IsHashed_WhenTheIdCannotBeStoredAsItIs(string id) =>
        Assert.StartsWith("sha256:", StorableMeeting.Id(id), StringComparison.Ordinal);

    [Theory]
    [InlineData("Board\0 review", null, "Board review")]
    [InlineData("\0\0", null, "")]
    [InlineData("abcdef", 4, "abcd")]
    [InlineData("ab\ud83d\ude00", 3, "ab")] // cutting inside an emoji drops the whole pair
    [InlineData("ab\ud83d\ude00", 4, "ab\ud83d\ude00")]
    public void Text_DropsWhatTextColumnsRefuseAndCutsSafely(string text, int? max, string expected) =>
        Assert.Equal(expected, StorableMeeting.Text(text, max));

    [Fact]
    public void TextAndId_DropOrHashLoneSurrogates_WhichUtf8CannotEncode()
    {
        // Built at run time: an attribute argument cannot carry a lone surrogate through metadata.
        var lone = "Lone " + (char)0xDC00 + " low";

        Assert.Equal("Lone  low", StorableMeeting.Text(lone, null));
        Assert.StartsWith("sha256:", StorableMeeting.Id(lone), StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_ReturnsTheSameMeeting_WhenNothingNeedsCleaning()
    {
        var meeting = Meeting("AAMkADVxSAAA=", "Weekly status", Instant.FromUtc(2026, 3, 2, 9, 0));

        Assert.Same(meeting, StorableMeeting.Prepare(meeting));
    }

    [Fact]
    public void Prepare_CleansTitleIdAndSeries_WhenTheyCannotBeStored()
    {
        var meeting = Meeting(new string('x', 600), "Board\0 review", Instant.FromUtc(2026, 3, 2, 9, 0)) with { SeriesId = new string('s', 700) };

        var prepared = StorableMeeting.Prepare(meeting)!;

        Assert.Equal("Board review", prepared.Title);
        Assert.Equal(StorableMeeting.Id(meeting.ProviderId), prepared.ProviderId);
        Assert.Equal(StorableMeeting.Id(meeting.SeriesId!), prepared.SeriesId);
    }

    [Fact]
    public void Prepare_ReturnsNull_WhenTheMeetingIsBeforeAnyStorableInstant() =>
        Assert.Null(StorableMeeting.Prepare(Meeting("year-one", "Lost in time", Instant.FromUtc(0, 12, 31, 23, 30))));

    private static Meeting Meeting(string id, string title, Instant start) => new()
    {
        Provider = CalendarProvider.Ics,
        ProviderId = id,
        Title = title,
        Start = start,
        End = start + Duration.FromHours(1),
    };
}
