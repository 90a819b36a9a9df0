using Google.Apis.Http;
using SdkHttpClientFactory = Google.Apis.Http.IHttpClientFactory;

namespace ExecutionTrap.Calendars.Google;

/// <summary>
/// Hands Google.Apis (its own <see cref="SdkHttpClientFactory"/>) the pooled handlers of the host's
/// <see cref="IHttpMessageHandlerFactory"/>, so the SDK never creates sockets of its own. Google.Apis follows
/// redirects itself and asks, per client, whether the handler may decompress: two named clients answer that.
/// </summary>
internal sealed class GoogleHttpClients(IHttpMessageHandlerFactory handlers)
{
    /// <summary>The named client whose handler decompresses gzip and brotli; neither follows redirects.</summary>
    public const string Name = "Google";

    public const string UncompressedName = "Google.Uncompressed";

    public SdkHttpClientFactory Factory { get; } = new HttpClientFromMessageHandlerFactory(options =>
        new HttpClientFromMessageHandlerFactory.ConfiguredHttpMessageHandler(
            handlers.CreateHandler(options.MayPerformDecompression ? Name : UncompressedName),
            performsAutomaticDecompression: options.MayPerformDecompression,
            handlesRedirect: false));
}
