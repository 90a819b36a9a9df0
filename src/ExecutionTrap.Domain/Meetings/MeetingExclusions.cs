namespace ExecutionTrap.Domain.Meetings;

/// <summary>
/// The metadata rules that take an event out of scoring before any model sees it,
/// in the precedence the label guide fixes.
/// </summary>
public static class MeetingExclusions
{
    // Outlook files imported holidays under the category "Holiday"; leaders file their leave the same way.
    private static readonly HashSet<string> AwayCategories = new(StringComparer.OrdinalIgnoreCase)
    {
        "Holiday", "Holidays", "Public holiday", "Bank holiday", "Vacation", "Out of office", "OOO", "PTO", "Leave",
        "Feiertag", "Urlaub", "Jour férié", "Congés", "Festivo", "Vacaciones", "Feriado", "Férias", "Feestdag", "Vakantie",
    };

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
            || meeting.Kind is EventKind.OutOfOffice or EventKind.WorkingLocation
            || meeting.ProviderCategories.Any(c => AwayCategories.Contains(c.Trim())))
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
