namespace ExecutionTrap.Calendars.Ics;

/// <summary>The bytes of an ICS file or feed, read within the size limit.</summary>
/// <param name="Address">The path or URL as given, for messages.</param>
/// <param name="Content">The body, at most <see cref="IcsOptions.MaxBytes"/> long.</param>
/// <param name="ContentHash">SHA-256 of <paramref name="Content"/>, lower-case hex: equal hashes mean an unchanged feed.</param>
internal sealed record IcsFeed(string Address, byte[] Content, string ContentHash);
