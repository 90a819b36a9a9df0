using Google.Apis.Http;
using SdkHttpClientFactory = Google.Apis.Http.IHttpClientFactory;

namespace ExecutionTrap.Calendars.Google;

/// <summary>
/// Hands Google.Apis (its own <see cref="SdkHttpClientFactory"/>) the pooled handlers of the
/// host's <see cref="IHttpMessageHandlerFactory"/>, so the SDK never creates sockets of its own.
/// </summary>
internal sealed class GoogleHttpClients(IHttpMessageHandlerFactory handlers)
{
    public const string Name = "Google";

    public SdkHttpClientFactory Factory { get; } = new HttpClientFromMessageHandlerFactory(_ =>
        new HttpClientFromMessageHandlerFactory.ConfiguredHttpMessageHandler(
            handlers.CreateHandler(Name), performsAutomaticDecompression: true, handlesRedirect: true));
}
