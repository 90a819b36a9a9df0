namespace ExecutionTrap.IntegrationTests.Support;

/// <summary>
/// A request a <see cref="LocalHttpServer"/> received, as it arrived: method, path, query string
/// (with its "?"), headers (names case-insensitive, repeated values joined with ", ") and body.
/// </summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
