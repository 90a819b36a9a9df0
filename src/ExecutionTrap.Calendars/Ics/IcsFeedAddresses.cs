using System.Net;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>
/// What a feed address may be, checked when a leader adds it (a clear refusal at once) and again
/// before every read and every redirect (a stored address or a redirect gets no further). The
/// connection step checks the resolved address once more (<see cref="IcsGuardedHandler"/>), which
/// is what holds against DNS tricks; the checks here only make the refusal quick and clear.
/// </summary>
internal sealed class IcsFeedAddresses(IOptions<CalendarsOptions> options, IcsAddressPolicy policy, IIcsHostResolver resolver)
{
    /// <summary>The address of a calendar shipped with the service (samples/&lt;name&gt;.ics), never a path a leader typed.</summary>
    public const string SamplePrefix = "sample:";

    public const string NotHttps = "Only https calendar addresses can be added: use the calendar's published ICS link. Files on the server are never read.";
    public const string NoHttp = "Only https calendar addresses can be added; this address uses plain http.";
    public const string PrivateNetwork = "This address points into a private or local network, which this service does not read calendars from.";
    public static readonly string TooLong = $"The address is longer than {IcsOptions.MaxAddressLength:N0} characters.";

    private IcsOptions Options => options.Value.Ics;

    /// <summary>
    /// An http(s) or webcal URL as an http(s) <see cref="Uri"/> (webcal:// is read as https://).
    /// </summary>
    public static bool TryFeedUri(string address, out Uri uri)
    {
        if (address.StartsWith("webcal://", StringComparison.OrdinalIgnoreCase))
        {
            address = "https://" + address["webcal://".Length..];
        }

        if (Uri.TryCreate(address, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps))
        {
            uri = parsed;
            return true;
        }

        uri = null!;
        return false;
    }

    /// <summary>
    /// The address without its secret parts, for logs and messages: scheme, host and port kept,
    /// user info, path and query dropped (a published calendar's link is its only password).
    /// Not a URL: "(a local path)" unless <paramref name="keepPaths"/>.
    /// </summary>
    public static string Redact(string address, bool keepPaths = false)
    {
        var trimmed = address.Trim();
        if (TryFeedUri(trimmed, out var uri))
        {
            var hidden = uri.PathAndQuery is "/" or "" && uri.Fragment.Length == 0 ? "/" : "/…";
            return $"{uri.Scheme}://{uri.Authority}{hidden}";
        }

        if (trimmed.StartsWith(SamplePrefix, StringComparison.Ordinal))
        {
            return trimmed;
        }

        return keepPaths ? trimmed : "(a local path)";
    }

    /// <summary>Why a feed URL is refused without a DNS query (scheme, length, a literal or metadata host), or null.</summary>
    public string? Refusal(Uri uri)
    {
        if (uri.OriginalString.Length > IcsOptions.MaxAddressLength)
        {
            return TooLong;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !Options.AllowHttp)
        {
            return NoHttp;
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return NotHttps;
        }

        // Uri already reads 2130706433, 0x7f.1 and 127.1 as 127.0.0.1.
        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal))
        {
            return policy.Permits(literal) ? null : PrivateNetwork;
        }

        return IcsAddressPolicy.IsRefusedName(uri.IdnHost) ? PrivateNetwork : null;
    }

    /// <summary>
    /// Why an address a leader typed is refused, or null (with the URL to read): everything
    /// <see cref="Refusal(Uri)"/> checks, and where its host name resolves now. A name that does
    /// not resolve is accepted here; the read fails later with the generic message.
    /// </summary>
    public async Task<(string? Refusal, Uri? Uri)> CheckNewAsync(string address, CancellationToken cancellationToken)
    {
        var trimmed = address.Trim();
        if (trimmed.Length > IcsOptions.MaxAddressLength)
        {
            return (TooLong, null);
        }

        if (!TryFeedUri(trimmed, out var uri))
        {
            return (NotHttps, null);
        }

        if (Refusal(uri) is { } refusal)
        {
            return (refusal, null);
        }

        var host = uri.IdnHost.Trim('[', ']');
        if (!IPAddress.TryParse(host, out _))
        {
            IPAddress[] addresses;
            try
            {
                addresses = await resolver.ResolveAsync(host, cancellationToken);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or ArgumentException)
            {
                addresses = [];
            }

            if (addresses.Any(a => !policy.Permits(a)))
            {
                return (PrivateNetwork, null);
            }
        }

        return (null, uri);
    }
}
