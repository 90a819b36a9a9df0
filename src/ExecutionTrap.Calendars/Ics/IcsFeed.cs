namespace ExecutionTrap.Calendars.Ics;

/// <summary>The bytes of an ICS file or feed, read within the size limit.</summary>
/// <param name="Address">The path or URL as given, for messages.</param>
/// <param name="Content">The body, at most <see cref="IcsOptions.MaxBytes"/> long.</param>
/// <param name="ContentHash">
/// SHA-256 of <paramref name="Content"/> without its DTSTAMP lines, lower-case hex: Google and
/// Outlook restamp every event on every request, so equal hashes mean unchanged events.
/// </param>
internal sealed record IcsFeed(string Address, byte[] Content, string ContentHash);
