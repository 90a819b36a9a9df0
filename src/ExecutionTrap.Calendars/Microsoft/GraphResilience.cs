using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ExecutionTrap.Calendars.Microsoft;

/// <summary>
/// The retry pipeline in front of Graph. It replaces the Graph SDK's own middleware (a custom
/// <see cref="HttpClient"/> skips it), honours fractional <c>Retry-After</c> values and keeps
/// the attempt count and delays configurable so tests can use tiny ones.
/// </summary>
internal static partial class GraphResilience
{
    public static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> pipeline,
        MicrosoftCalendarOptions options,
        TimeProvider time,
        ILogger logger)
    {
        if (options.MaxAttempts > 1)
        {
            pipeline.AddRetry(CreateRetryOptions(options, time, logger));
        }

        pipeline.AddTimeout(options.AttemptTimeout);
    }

    public static RetryStrategyOptions<HttpResponseMessage> CreateRetryOptions(
        MicrosoftCalendarOptions options,
        TimeProvider time,
        ILogger logger) => new()
        {
            MaxRetryAttempts = options.MaxAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = options.MaxRetryDelay,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
            DelayGenerator = args =>
            {
                if (args.Outcome.Result is { } response && RetryAfter.TryParse(response, time.GetUtcNow(), out var delay))
                {
                    return ValueTask.FromResult<TimeSpan?>(delay < options.MaxRetryDelay ? delay : options.MaxRetryDelay);
                }

                return ValueTask.FromResult<TimeSpan?>(null);
            },
            OnRetry = args =>
            {
                var status = args.Outcome.Result is { } response ? (int)response.StatusCode : 0;
                LogRetrying(logger, status, args.RetryDelay, args.AttemptNumber + 1);
                return ValueTask.CompletedTask;
            },
        };

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => response.StatusCode is HttpStatusCode.TooManyRequests
            or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.GatewayTimeout,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Microsoft Graph answered {Status}; retrying in {Delay} (attempt {Attempt} failed)")]
    private static partial void LogRetrying(ILogger logger, int status, TimeSpan delay, int attempt);
}
