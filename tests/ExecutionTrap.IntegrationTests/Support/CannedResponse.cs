using System.Text;

namespace ExecutionTrap.IntegrationTests.Support;

/// <summary>A response a <see cref="LocalHttpServer"/> plays back: status, body, content type and extra headers.</summary>
public sealed record CannedResponse(int Status, byte[] Body, string? ContentType = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static CannedResponse Text(int status, string body, string contentType = "text/plain; charset=utf-8") =>
        new(status, Encoding.UTF8.GetBytes(body), contentType);

    public static CannedResponse Json(int status, string json) => Text(status, json, "application/json; charset=utf-8");

    /// <summary>The bytes of a file (a shared fixture), unchanged.</summary>
    public static CannedResponse File(string path, string contentType, int status = 200) =>
        new(status, System.IO.File.ReadAllBytes(path), contentType);

    public CannedResponse WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers ?? new Dictionary<string, string>()) { [name] = value } };
}
