using System.Net;

namespace ExecutionTrap.Web.Endpoints;

/// <summary>Until sign-in exists, the API answers requests from this machine only.</summary>
internal sealed class LocalOnlyFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var remote = context.HttpContext.Connection.RemoteIpAddress;
        return remote is null || IPAddress.IsLoopback(remote)
            ? next(context)
            : ValueTask.FromResult<object?>(Results.Problem("This endpoint answers requests from the local machine only.", statusCode: StatusCodes.Status403Forbidden));
    }
}
