using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage.Entities;

namespace ExecutionTrap.Storage.Sync;

internal static class MeetingMapping
{
    private const char Separator = '\n';

    public static void CopyFacts(Meeting source, StoredMeeting target)
    {
        target.Provider = source.Provider;
        target.Title = source.Title.Length > 1000 ? source.Title[..1000] : source.Title;
        target.Start = source.Start;
        target.End = source.End;
        target.IsAllDay = source.IsAllDay;
        target.ShowAs = source.ShowAs;
        target.Response = source.Response;
        target.Kind = source.Kind;
        target.IsCancelled = source.IsCancelled;
        target.AttendeeCount = source.AttendeeCount;
        target.IsOrganizer = source.IsOrganizer;
        target.IsRecurring = source.IsRecurring;
        target.SeriesId = source.SeriesId;
        target.IsPrivate = source.IsPrivate;
        target.HasExternalAttendees = source.HasExternalAttendees;
        target.ProviderCategories = string.Join(Separator, source.ProviderCategories);
    }

    public static void CopyLabel(MeetingLabel label, StoredMeeting target)
    {
        target.Category = label.Category;
        target.Excluded = label.Excluded;
        target.Confidence = label.Confidence;
        target.Evidence = string.Join(Separator, label.Evidence);
        target.DecidedBy = label.DecidedBy;
    }

    public static bool SameFacts(Meeting source, StoredMeeting target) =>
        target.Title == source.Title
        && target.Start == source.Start
        && target.End == source.End
        && target.IsAllDay == source.IsAllDay
        && target.ShowAs == source.ShowAs
        && target.Response == source.Response
        && target.Kind == source.Kind
        && target.IsCancelled == source.IsCancelled
        && target.AttendeeCount == source.AttendeeCount
        && target.IsOrganizer == source.IsOrganizer
        && target.IsRecurring == source.IsRecurring
        && target.SeriesId == source.SeriesId
        && target.IsPrivate == source.IsPrivate
        && target.HasExternalAttendees == source.HasExternalAttendees
        && target.ProviderCategories == string.Join(Separator, source.ProviderCategories);

    public static Meeting ToMeeting(this StoredMeeting stored) => new()
    {
        Provider = stored.Provider,
        ProviderId = stored.ProviderId,
        Title = stored.Title,
        Start = stored.Start,
        End = stored.End,
        IsAllDay = stored.IsAllDay,
        ShowAs = stored.ShowAs,
        Response = stored.Response,
        Kind = stored.Kind,
        IsCancelled = stored.IsCancelled,
        AttendeeCount = stored.AttendeeCount,
        IsOrganizer = stored.IsOrganizer,
        IsRecurring = stored.IsRecurring,
        SeriesId = stored.SeriesId,
        IsPrivate = stored.IsPrivate,
        HasExternalAttendees = stored.HasExternalAttendees,
        ProviderCategories = stored.ProviderCategories.Length == 0 ? [] : stored.ProviderCategories.Split(Separator),
    };

    /// <summary>
    /// The decision in force: a leader's correction wins over what a model or rule said (even "not a
    /// meeting"), but not over what the calendar itself says (declined, cancelled, all-day…).
    /// </summary>
    public static MeetingLabel ToLabel(this StoredMeeting stored) =>
        stored.CorrectedCategory is { } corrected && (stored.Excluded is null || MeetingExclusions.FromMetadata(stored.ToMeeting()) is null)
        ? new MeetingLabel { Category = corrected, Confidence = 1, DecidedBy = CorrectionDecider, Evidence = ["corrected by you"] }
        : new MeetingLabel
        {
            Category = stored.Category,
            Excluded = stored.Excluded,
            Confidence = stored.Confidence,
            DecidedBy = stored.DecidedBy,
            Evidence = stored.Evidence.Length == 0 ? [] : stored.Evidence.Split(Separator),
        };

    /// <summary>The decider recorded for a leader's correction.</summary>
    public const string CorrectionDecider = "correction";
}
