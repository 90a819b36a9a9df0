namespace ExecutionTrap.Classification.Features;

/// <summary>What the model reads about one meeting: the normalised title, the names-only flag and the signals.</summary>
internal sealed record ModelInput(string Title, bool NamesOnly, MeetingSignals Signals)
{
    public static ModelInput From(string? title, MeetingSignals signals) =>
        new(TitleNormalizer.Normalize(title), TitleHeuristics.IsNamesOnly(title), signals);

    public static ModelInput FromNormalized(string normalizedTitle, bool namesOnly, MeetingSignals signals) =>
        new(normalizedTitle, namesOnly, signals);
}

/// <summary>
/// Encodes signals so that an unknown signal is all zeros: a title-only row then looks like
/// "no evidence" rather than like "zero attendees, zero minutes, not recurring".
/// </summary>
internal static class SignalVector
{
    public const int Count = 18;
    public const int NamesOnlyIndex = 16;

    public static float[] Encode(MeetingSignals signals, bool namesOnly)
    {
        var v = new float[Count];
        Encode(signals, namesOnly, v);
        return v;
    }

    /// <summary>Writes the encoding into <paramref name="v"/> (length <see cref="Count"/>), all of it.</summary>
    public static void Encode(MeetingSignals signals, bool namesOnly, Span<float> v)
    {
        v.Clear();
        if (signals.Attendees is { } attendees)
        {
            v[0] = 1;
            v[1] = (float)Math.Min(1, Math.Log(1 + attendees) / Math.Log(50));
            v[2] = attendees <= 1 ? 1 : 0;
            v[3] = attendees == 2 ? 1 : 0;
            v[4] = attendees is >= 3 and <= 6 ? 1 : 0;
            v[5] = attendees >= 10 ? 1 : 0;
        }

        if (signals.Minutes is { } minutes)
        {
            v[6] = 1;
            v[7] = (float)Math.Min(2, minutes / 240);
            v[8] = minutes <= 15 ? 1 : 0;
        }

        if (signals.Recurring is { } recurring)
        {
            v[9] = recurring ? 1 : 0;
            v[10] = recurring ? 0 : 1;
        }

        v[11] = signals.Organizer == true ? 1 : 0;
        v[12] = signals.ExternalAttendees == true ? 1 : 0;
        v[13] = signals.ExternalAttendees == false ? 1 : 0;
        if (signals.StartHour is { } hour)
        {
            v[14] = 1;
            v[15] = hour is < 8 or >= 18 ? 1 : 0;
        }

        v[NamesOnlyIndex] = namesOnly ? 1 : 0;
        v[17] = signals.IsRecurringPair ? 1 : 0;
    }
}
