namespace ExecutionTrap.Domain.Meetings;

/// <summary>
/// The metadata rules that take an event out of scoring before any model sees it,
/// in the precedence the label guide fixes.
/// </summary>
public static class MeetingExclusions
{
    public static ExclusionReason? FromMetadata(Meeting meeting)
    {
        if (meeting.IsCancelled)
        {
            return ExclusionReason.Cancelled;
        }

        if (meeting.Response == ResponseStatus.Declined)
        {
            return ExclusionReason.Declined;
        }

        if (meeting.IsAllDay)
        {
            return ExclusionReason.AllDay;
        }

        if (meeting.ShowAs is ShowAs.OutOfOffice or ShowAs.WorkingElsewhere
            || meeting.Kind is EventKind.OutOfOffice or EventKind.WorkingLocation)
        {
            return ExclusionReason.OutOfOffice;
        }

        if (meeting.ShowAs == ShowAs.Free)
        {
            return ExclusionReason.Free;
        }

        if (meeting.Kind == EventKind.FocusTime || meeting.End <= meeting.Start)
        {
            return ExclusionReason.NotAMeeting;
        }

        return null;
    }
}
