namespace ExecutionTrap.Calendars.Microsoft;

/// <summary>Where Graph access tokens come from: the refresh-token client, or a token the CLI was handed.</summary>
internal interface IGraphTokenSource
{
    Task<string> GetAccessTokenAsync(Guid connectionId, bool forceRefresh, CancellationToken cancellationToken);
}

/// <summary>An access token the caller already has (<c>etrap fetch --access-token</c>); it cannot be refreshed.</summary>
internal sealed class FixedGraphToken(string accessToken) : IGraphTokenSource
{
    public Task<string> GetAccessTokenAsync(Guid connectionId, bool forceRefresh, CancellationToken cancellationToken) =>
        Task.FromResult(accessToken);
}
