using Microsoft.AspNetCore.Antiforgery;

namespace ExecutionTrap.Web.Auth;

/// <summary>
/// One gate for every request that changes something (anything but GET, HEAD, OPTIONS, TRACE), whatever
/// endpoint it reaches. A signed-in browser must prove the request came from our own pages with the
/// anti-forgery token (form field or <c>RequestVerificationToken</c> header), including body-less POSTs
/// that no model binding would have checked; a bearer token must have been made for writing. Endpoints
/// that opt out with <c>DisableAntiforgery()</c> (the one-click unsubscribe, which carries its own signed
/// token) are left to themselves.
/// </summary>
internal static partial class StateChangeGuard
{
    public static IApplicationBuilder UseStateChangeGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (IsSafe(context.Request.Method) || context.User.Identity?.IsAuthenticated != true)
            {
                await next(context);
                return;
            }

            if (context.User.Identity.AuthenticationType == AuthSchemes.ApiToken)
            {
                if (!context.User.HasClaim(AuthSchemes.ApiScopeClaim, AuthSchemes.WriteScope))
                {
                    await Results.Problem("This API token is read-only; make a write token to change things.", statusCode: StatusCodes.Status403Forbidden)
                        .ExecuteAsync(context);
                    return;
                }

                await next(context);
                return;
            }

            if (context.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: false })
            {
                await next(context);
                return;
            }

            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                LogRefused(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StateChangeGuard)), context.Request.Method, context.Request.Path);
                await Results.Problem("The request has no valid anti-forgery token.", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
                return;
            }

            await next(context);
        });

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} {Path}: signed in by cookie without a valid anti-forgery token")]
    private static partial void LogRefused(ILogger logger, string method, PathString path);
}
