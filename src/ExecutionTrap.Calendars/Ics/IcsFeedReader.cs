using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using ExecutionTrap.Domain.Calendars;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>
/// Reads an ICS body from an http(s) URL (webcal:// is read as https://), a shipped sample, or a
/// local path where allowed (the CLI), never more than <see cref="IcsOptions.MaxBytes"/>, and
/// turns every way that can fail into a <see cref="CalendarSourceException"/> that names the
/// problem and the address without its secret parts (<see cref="IcsFeedAddresses.Redact"/>).
/// </summary>
internal sealed class IcsFeedReader(IHttpClientFactory httpClientFactory, IcsFeedAddresses addresses, IOptions<CalendarsOptions> options, TimeProvider time)
{
    public const string HttpClientName = "ics";

    private const int ChunkSize = 81_920;

    private IcsOptions Options => options.Value.Ics;

    /// <exception cref="CalendarSourceException">The address could not be read; Kind and message say why.</exception>
    public async Task<IcsFeed> ReadAsync(string address, CancellationToken cancellationToken)
    {
        var trimmed = address.Trim();
        if (trimmed.Length == 0)
        {
            throw new CalendarSourceException(CalendarErrorKind.NotFound, "No ICS address was given: expected a file path or an http(s) URL.");
        }

        var content = IcsFeedAddresses.TryFeedUri(trimmed, out var uri)
            ? await ReadUrlAsync(uri, cancellationToken)
            : trimmed.StartsWith(IcsFeedAddresses.SamplePrefix, StringComparison.Ordinal)
                ? await ReadSampleAsync(trimmed, cancellationToken)
                : await ReadFileAsync(trimmed, cancellationToken);
        return new IcsFeed(IcsFeedAddresses.Redact(trimmed, keepPaths: true), content, HashWithoutStamps(content));
    }

    /// <summary>SHA-256 of the body, skipping DTSTAMP lines and their folded continuations.</summary>
    public static string HashWithoutStamps(ReadOnlySpan<byte> content)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var skipping = false;
        while (!content.IsEmpty)
        {
            var end = content.IndexOf((byte)'\n');
            var line = end < 0 ? content : content[..(end + 1)];
            content = content[line.Length..];
            var folded = line[0] is (byte)' ' or (byte)'\t';
            skipping = folded ? skipping : IsStamp(line);
            if (!skipping)
            {
                hash.AppendData(line);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static bool IsStamp(ReadOnlySpan<byte> line) =>
        line.Length > 7
        && Ascii.EqualsIgnoreCase(line[..7], "DTSTAMP"u8)
        && line[7] is (byte)':' or (byte)';';

    /// <summary>Copies a stream up to <paramref name="maxBytes"/>, failing as soon as it holds more.</summary>
    /// <exception cref="CalendarSourceException">The stream is longer than the limit (Kind BadData).</exception>
    public static async Task<byte[]> ReadBoundedAsync(Stream stream, string source, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[ChunkSize];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(source, maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    // A sample is addressed by file name only, so no stored address can climb out of the folder.
    private async Task<byte[]> ReadSampleAsync(string address, CancellationToken cancellationToken)
    {
        var name = address[IcsFeedAddresses.SamplePrefix.Length..];
        var valid = name.Length is > 4 and < 100
            && name.EndsWith(".ics", StringComparison.Ordinal)
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            && !name.Contains("..", StringComparison.Ordinal);
        var path = Path.Combine(AppContext.BaseDirectory, "samples", name);
        if (!valid || !File.Exists(path))
        {
            throw new CalendarSourceException(CalendarErrorKind.NotFound, $"{address} is not a sample calendar shipped with this build.");
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, useAsync: true);
        return await ReadBoundedAsync(stream, address, Options.MaxBytes, cancellationToken);
    }

    private async Task<byte[]> ReadFileAsync(string address, CancellationToken cancellationToken)
    {
        var path = address.StartsWith("file://", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(address, UriKind.Absolute, out var fileUri)
            ? fileUri.LocalPath
            : address;
        // Checked before anything touches the file system: the answer must not tell whether a file exists.
        if (!Options.AllowLocalFiles)
        {
            throw new CalendarSourceException(CalendarErrorKind.Forbidden, "The address is not an https URL; this service only reads calendar feeds from https URLs, never local files.");
        }

        if (address.Contains("://", StringComparison.Ordinal) && !address.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            throw new CalendarSourceException(CalendarErrorKind.NotFound, $"{IcsFeedAddresses.Redact(address)} is not a file path or an http(s) URL.");
        }

        try
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                throw new CalendarSourceException(CalendarErrorKind.NotFound, $"ICS file {path} does not exist.");
            }

            if (file.Length > Options.MaxBytes)
            {
                throw TooLarge(path, Options.MaxBytes);
            }

            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, useAsync: true);
            return await ReadBoundedAsync(stream, path, Options.MaxBytes, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CalendarSourceException(CalendarErrorKind.NotFound, $"ICS file {path} cannot be read: {ex.Message}", ex);
        }
    }

    private async Task<byte[]> ReadUrlAsync(Uri uri, CancellationToken cancellationToken)
    {
        var address = IcsFeedAddresses.Redact(uri.OriginalString);

        // One deadline for the whole read: the resilience handler times the request, this also
        // times the body, which a slow server can trickle forever.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(Options.TimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var client = httpClientFactory.CreateClient(HttpClientName);
        try
        {
            using var response = await SendFollowingRedirectsAsync(client, uri, linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw StatusError(address, response.StatusCode, response.ReasonPhrase);
            }

            if (response.Content.Headers.ContentLength > Options.MaxBytes)
            {
                throw TooLarge(address, Options.MaxBytes);
            }

            await using var body = await response.Content.ReadAsStreamAsync(linked.Token);
            var content = await ReadBoundedAsync(body, address, Options.MaxBytes, linked.Token);
            if (LooksLikeHtml(content))
            {
                throw new CalendarSourceException(
                    CalendarErrorKind.NotFound,
                    $"{address} answered with an HTML page, not an iCalendar feed (no BEGIN:VCALENDAR): use the calendar's ICS link, not its web page.");
            }

            return content;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(address, $"did not answer within {Seconds(Options.TimeoutSeconds)}");
        }
        catch (TimeoutRejectedException ex)
        {
            throw Unavailable(address, $"did not answer within {Seconds(Options.TimeoutSeconds)}", ex);
        }
        catch (ExecutionRejectedException ex)
        {
            // The circuit is open after repeated failures: the feed is failing, not wrong.
            throw Unavailable(address, $"is failing repeatedly and was not called again ({ex.Message})", ex);
        }
        catch (HttpRequestException ex) when (IcsGuardedHandler.IsRefusal(ex))
        {
            throw Refused(address, ex.InnerException?.Message ?? ex.Message, ex);
        }
        catch (HttpRequestException ex)
        {
            throw ConnectionError(address, uri, ex);
        }
    }

    // Redirects are followed here, not by the handler, so that each target passes the same
    // checks as the address itself before a connection is opened to it.
    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(HttpClient client, Uri uri, CancellationToken cancellationToken)
    {
        var current = uri;
        for (var redirects = 0; ; redirects++)
        {
            if (addresses.Refusal(current) is { } refusal)
            {
                throw Refused(IcsFeedAddresses.Redact(uri.OriginalString), redirects == 0 ? refusal : $"a redirect to {IcsFeedAddresses.Redact(current.OriginalString)} was refused: {refusal}");
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
            {
                return response;
            }

            response.Dispose();
            if (redirects >= Options.MaxRedirects)
            {
                throw new CalendarSourceException(
                    CalendarErrorKind.NotFound,
                    $"{IcsFeedAddresses.Redact(uri.OriginalString)} redirected more than {Options.MaxRedirects.ToString(CultureInfo.InvariantCulture)} times (Calendars:Ics:MaxRedirects).");
            }

            current = location.IsAbsoluteUri ? location : new Uri(current, location);
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static CalendarSourceException Refused(string address, string why, Exception? inner = null) =>
        new(CalendarErrorKind.Forbidden, $"{address} was not read: {why}", inner);

    // Sign-in pages, "calendar not found" pages and the calendar's own web view all answer 200 with HTML.
    private static bool LooksLikeHtml(byte[] content)
    {
        var head = Encoding.UTF8.GetString(content, 0, Math.Min(content.Length, 512)).TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        return head.StartsWith('<');
    }

    private static CalendarSourceException StatusError(string address, HttpStatusCode status, string? reason = null)
    {
        var code = (int)status;
        var answered = $"{address} answered HTTP {code.ToString(CultureInfo.InvariantCulture)} {reason ?? status.ToString()}".TrimEnd();
        var kind = status switch
        {
            HttpStatusCode.NotFound or HttpStatusCode.Gone => CalendarErrorKind.NotFound,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => CalendarErrorKind.Forbidden,
            HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout => CalendarErrorKind.ProviderUnavailable,
            _ when code >= 500 => CalendarErrorKind.ProviderUnavailable,
            _ => CalendarErrorKind.NotFound,
        };
        var advice = kind switch
        {
            CalendarErrorKind.NotFound => ": no calendar at this address (a published calendar link changes when it is reset).",
            CalendarErrorKind.Forbidden => ": the feed refuses to be read (the link was unpublished or is not public).",
            _ => " after retries: the server is failing; the next sync tries again.",
        };
        return new CalendarSourceException(kind, answered + advice) { HttpStatus = code };
    }

    private static CalendarSourceException ConnectionError(string address, Uri uri, HttpRequestException ex)
    {
        var socket = ex.InnerException as SocketException ?? ex.InnerException?.InnerException as SocketException;
        return socket?.SocketErrorCode switch
        {
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain =>
                new CalendarSourceException(CalendarErrorKind.NotFound, $"{address} cannot be reached: the host {uri.Host} was not found (DNS).", ex),
            SocketError.ConnectionRefused =>
                new CalendarSourceException(CalendarErrorKind.NotFound, $"{address} cannot be reached: {uri.Authority} refused the connection.", ex),
            _ => ex.StatusCode is { } status
                ? StatusError(address, status)
                : Unavailable(address, $"could not be read: {ex.Message}", ex),
        };
    }

    private static CalendarSourceException Unavailable(string address, string what, Exception? inner = null) =>
        new(CalendarErrorKind.ProviderUnavailable, $"{address} {what}.", inner);

    private static CalendarSourceException TooLarge(string source, long maxBytes) =>
        new(CalendarErrorKind.BadData, $"{source} is larger than the {Size(maxBytes)} limit for an ICS calendar (Calendars:Ics:MaxBytes).");

    private static string Seconds(int seconds) =>
        seconds == 1 ? "1 second" : $"{seconds.ToString(CultureInfo.InvariantCulture)} seconds";

    private static string Size(long bytes) => bytes % (1024 * 1024) == 0
        ? $"{(bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture)} MiB"
        : bytes % 1024 == 0
            ? $"{(bytes / 1024).ToString(CultureInfo.InvariantCulture)} KiB"
            : $"{bytes.ToString(CultureInfo.InvariantCulture)}-byte";
}
