namespace ExecutionTrap.Calendars.Microsoft;

/// <summary>
/// A Graph link plus what kind of read it belongs to. A nextLink alone cannot say whether it
/// continues a full read (events not listed are gone) or a delta round, so the stored cursor
/// carries the kind: <c>full:{nextLink}</c>, <c>delta:{nextLink or deltaLink}</c>.
/// </summary>
internal sealed record GraphCursor(bool IsFullRead, Uri Link)
{
    private const string FullPrefix = "full:";
    private const string DeltaPrefix = "delta:";

    public override string ToString() => (IsFullRead ? FullPrefix : DeltaPrefix) + Link.OriginalString;

    /// <summary>
    /// Reads a stored cursor. A bare link (saved by <c>etrap fetch --state</c> or by hand) is a delta link.
    /// The link must point at the configured Graph host: the access token is sent wherever it points.
    /// </summary>
    public static bool TryParse(string cursor, Uri graphBase, out GraphCursor? parsed, out string problem)
    {
        parsed = null;
        var isFullRead = cursor.StartsWith(FullPrefix, StringComparison.Ordinal);
        var link = isFullRead ? cursor[FullPrefix.Length..]
            : cursor.StartsWith(DeltaPrefix, StringComparison.Ordinal) ? cursor[DeltaPrefix.Length..]
            : cursor;
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            problem = "the stored Microsoft Graph cursor is not a link";
            return false;
        }

        if (!IsSameOrigin(uri, graphBase))
        {
            problem = $"the stored Microsoft Graph cursor points at {uri.Host}, not {graphBase.Host}";
            return false;
        }

        parsed = new GraphCursor(isFullRead, uri);
        problem = string.Empty;
        return true;
    }

    public static bool IsSameOrigin(Uri link, Uri graphBase) =>
        string.Equals(link.Scheme, graphBase.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(link.Host, graphBase.Host, StringComparison.OrdinalIgnoreCase)
        && link.Port == graphBase.Port;
}
